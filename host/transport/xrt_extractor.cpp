#include "transport/xrt_extractor.hpp"

#include <exception>

#if __has_include(<xrt/experimental/xrt_system.h>)
#include <xrt/experimental/xrt_system.h>
#else
#include <experimental/xrt_system.h>
#endif
#include <xrt/xrt_bo.h>
#include <xrt/xrt_device.h>
// XRT 2.14 (2022.2) and later register an xclbin into a hardware context and deprecate load_xclbin;
// earlier releases have only load_xclbin.
#if __has_include(<xrt/xrt_hw_context.h>)
#include <xrt/xrt_hw_context.h>
#define DIRA_XRT_HW_CONTEXT 1
#endif
#include <xrt/xrt_kernel.h>

#include "core/error.hpp"
#include "transport/extract_kernel.hpp"

namespace dira::transport {
namespace {

static_assert(ki::kMmWordBits == 64, "device buffers are copies of BitString's 64-bit words");

const char* state_name(ert_cmd_state s) {
    switch (s) {
    case ERT_CMD_STATE_NEW: return "new";
    case ERT_CMD_STATE_QUEUED: return "queued";
    case ERT_CMD_STATE_RUNNING: return "running";
    case ERT_CMD_STATE_COMPLETED: return "completed";
    case ERT_CMD_STATE_ERROR: return "error";
    case ERT_CMD_STATE_ABORT: return "aborted";
    case ERT_CMD_STATE_SUBMITTED: return "submitted";
    case ERT_CMD_STATE_TIMEOUT: return "timed out";
    case ERT_CMD_STATE_NORESPONSE: return "no response";
    default: return "unknown state";
    }
}

// XRT reports failures as std::exception (std::system_error, xrt::run::command_error, ...).
template <typename F> auto xrt_call(const std::string& doing, F&& f) {
    try {
        return f();
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(ErrorKind::device, doing + ": XRT says: " + e.what());
    }
}

XrtDeviceInfo describe(unsigned index, const xrt::device& d) {
    XrtDeviceInfo info;
    info.index = index;
    info.name = d.get_info<xrt::info::device::name>();
    info.bdf = d.get_info<xrt::info::device::bdf>();
    return info;
}

std::uint64_t words_of(std::uint64_t bits) { return extract::words_for_bits(bits); }

// The kernel's own size check, made here: XRT cannot hand its refusal back.
ExtractMmCall checked_call(extract::Kind kind, std::uint64_t x_bits, std::uint64_t y_bits, std::uint64_t m_bits) {
    ExtractMmCall c;
    c.kind = kernel_kind(kind);
    c.x_bits = kernel_length(x_bits, "x");
    c.y_bits = kernel_length(y_bits, "y");
    c.m_bits = kernel_length(m_bits, "m");
    const ki::Status status =
        ki::check_sizes(c.kind, c.x_bits, c.y_bits, c.m_bits, ki::kMmWordBits, ki::kMmWordBits * ki::kMmMaxWords);
    if (status != ki::kOk)
        throw Error(ErrorKind::invalid_argument, std::string(ki::kMmKernelName) + " would refuse this block (x " +
                                                     std::to_string(x_bits) + ", y " + std::to_string(y_bits) + ", m " +
                                                     std::to_string(m_bits) + " bits): " + describe_kernel_status(status));
    return c;
}

// Waits for the run; one that has not finished in time is aborted, so that the kernel no longer
// touches the buffers when they are released. Returns the final state.
ert_cmd_state finish(xrt::run& run, std::chrono::milliseconds timeout) {
    const ert_cmd_state state = run.wait(timeout);
    if (state == ERT_CMD_STATE_COMPLETED || state == ERT_CMD_STATE_ERROR || state == ERT_CMD_STATE_ABORT) return state;
    run.abort(); // synchronous: returns once the command is aborted
    return state;
}

} // namespace

struct XrtExtractor::Impl {
    xrt::device device;
#ifdef DIRA_XRT_HW_CONTEXT
    xrt::hw_context context; // the xclbin registered on the device
#else
    xrt::uuid context; // the xclbin loaded onto the device
#endif
    xrt::kernel kernel;
};

std::vector<XrtDeviceInfo> list_xrt_devices() {
    return xrt_call("listing XRT devices", [] {
        std::vector<XrtDeviceInfo> out;
        const unsigned n = xrt::system::enumerate_devices();
        for (unsigned i = 0; i < n; ++i) out.push_back(describe(i, xrt::device(i)));
        return out;
    });
}

XrtExtractor::XrtExtractor(unsigned index, const std::filesystem::path& xclbin, const std::string& kernel_name)
    : impl_(std::make_unique<Impl>()) {
    const unsigned n = xrt_call("listing XRT devices", [] { return xrt::system::enumerate_devices(); });
    if (index >= n)
        throw Error(ErrorKind::not_found, "no XRT device xrt:" + std::to_string(index) + " (XRT sees " + std::to_string(n) +
                                              "): check `xbutil examine` and `dira devices`");
    if (!std::filesystem::exists(xclbin))
        throw Error(ErrorKind::not_found, "no xclbin at " + xclbin.string() + ": build it with the v++ flow in docs/host.md");
    impl_->device = xrt_call("opening xrt:" + std::to_string(index), [&] { return xrt::device(index); });
    info_ = xrt_call("reading xrt:" + std::to_string(index), [&] { return describe(index, impl_->device); });
    impl_->context = xrt_call("loading " + xclbin.string() + " onto " + info_.id(), [&] {
#ifdef DIRA_XRT_HW_CONTEXT
        return xrt::hw_context(impl_->device, impl_->device.register_xclbin(xrt::xclbin(xclbin.string())));
#else
        return impl_->device.load_xclbin(xclbin.string());
#endif
    });
    impl_->kernel = xrt_call("finding kernel '" + kernel_name + "' in " + xclbin.string() + " (was it linked in by v++?)", [&] {
#ifdef DIRA_XRT_HW_CONTEXT
        return xrt::kernel(impl_->context, kernel_name);
#else
        return xrt::kernel(impl_->device, impl_->context, kernel_name);
#endif
    });
}

XrtExtractor::~XrtExtractor() = default;

extract::BitString XrtExtractor::extract(extract::Kind kind, const extract::BitString& x, const extract::BitString& y,
                                         std::uint64_t m_bits, std::chrono::milliseconds timeout) {
    extract::check_lengths(kind, x.size_bits, y.size_bits, m_bits);
    const ExtractMmCall call = checked_call(kind, x.size_bits, y.size_bits, m_bits);
    const std::string where = info_.id();
    return xrt_call(std::string("running ") + ki::kMmKernelName + " on " + where, [&] {
        auto& k = impl_->kernel;
        const auto bytes = [](std::uint64_t bits) { return words_of(bits) * sizeof(std::uint64_t); };
        // Declared before the run, so released after it: the run is finished or aborted by then.
        xrt::bo x_bo(impl_->device, bytes(x.size_bits), k.group_id(ki::kMmArg_x));
        xrt::bo y_bo(impl_->device, bytes(y.size_bits), k.group_id(ki::kMmArg_y));
        xrt::bo z_bo(impl_->device, bytes(m_bits), k.group_id(ki::kMmArg_z));
        x_bo.write(x.words.data());
        y_bo.write(y.words.data());
        x_bo.sync(XCL_BO_SYNC_BO_TO_DEVICE);
        y_bo.sync(XCL_BO_SYNC_BO_TO_DEVICE);

        xrt::run run(k);
        bind_extract_mm(run, x_bo, y_bo, z_bo, call);
        run.start();
        const ert_cmd_state state = finish(run, timeout);
        if (state != ERT_CMD_STATE_COMPLETED)
            throw Error(state == ERT_CMD_STATE_TIMEOUT || state == ERT_CMD_STATE_RUNNING ? ErrorKind::timeout : ErrorKind::device,
                        std::string(ki::kMmKernelName) + " on " + where + " ended in state '" + state_name(state) +
                            "' (not completed) after at most " + std::to_string(timeout.count()) +
                            " ms; the run was aborted and no bits were read back");

        z_bo.sync(XCL_BO_SYNC_BO_FROM_DEVICE);
        extract::BitString z(m_bits);
        z_bo.read(z.words.data());
        extract::truncate_bits(z, m_bits); // the kernel must zero them; never trust padding
        return z;
    });
}

} // namespace dira::transport
