#include "transport/xrt_extractor.hpp"

#include <exception>

#if __has_include(<xrt/experimental/xrt_system.h>)
#include <xrt/experimental/xrt_system.h>
#else
#include <experimental/xrt_system.h>
#endif
#include <xrt/xrt_bo.h>
#include <xrt/xrt_device.h>
#include <xrt/xrt_kernel.h>

#include "core/error.hpp"

namespace dira::transport {
namespace {

enum KernelArg : int { kArgKind = 0, kArgX = 1, kArgXBits = 2, kArgY = 3, kArgYBits = 4, kArgZ = 5, kArgMBits = 6 };

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

} // namespace

struct XrtExtractor::Impl {
    xrt::device device;
    xrt::uuid xclbin;
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
    impl_->xclbin = xrt_call("loading " + xclbin.string() + " onto " + info_.id(),
                             [&] { return impl_->device.load_xclbin(xclbin.string()); });
    impl_->kernel = xrt_call("finding kernel '" + kernel_name + "' in " + xclbin.string() + " (was it linked in by v++?)",
                             [&] { return xrt::kernel(impl_->device, impl_->xclbin, kernel_name); });
}

XrtExtractor::~XrtExtractor() = default;

extract::BitString XrtExtractor::extract(extract::Kind kind, const extract::BitString& x, const extract::BitString& y,
                                         std::uint64_t m_bits, std::chrono::milliseconds timeout) {
    extract::check_lengths(kind, x.size_bits, y.size_bits, m_bits);
    const std::string where = info_.id();
    return xrt_call("running dira_extract on " + where, [&] {
        auto& k = impl_->kernel;
        const auto bytes = [](std::uint64_t bits) { return words_of(bits) * sizeof(std::uint64_t); };
        xrt::bo x_bo(impl_->device, bytes(x.size_bits), k.group_id(kArgX));
        xrt::bo y_bo(impl_->device, bytes(y.size_bits), k.group_id(kArgY));
        xrt::bo z_bo(impl_->device, bytes(m_bits), k.group_id(kArgZ));
        x_bo.write(x.words.data());
        y_bo.write(y.words.data());
        x_bo.sync(XCL_BO_SYNC_BO_TO_DEVICE);
        y_bo.sync(XCL_BO_SYNC_BO_TO_DEVICE);

        xrt::run run(k);
        run.set_arg(kArgKind, static_cast<std::uint32_t>(kind));
        run.set_arg(kArgX, x_bo);
        run.set_arg(kArgXBits, static_cast<std::uint64_t>(x.size_bits));
        run.set_arg(kArgY, y_bo);
        run.set_arg(kArgYBits, static_cast<std::uint64_t>(y.size_bits));
        run.set_arg(kArgZ, z_bo);
        run.set_arg(kArgMBits, static_cast<std::uint64_t>(m_bits));
        run.start();
        const ert_cmd_state state = run.wait(timeout);
        if (state != ERT_CMD_STATE_COMPLETED)
            throw Error(state == ERT_CMD_STATE_TIMEOUT || state == ERT_CMD_STATE_RUNNING ? ErrorKind::timeout : ErrorKind::device,
                        "dira_extract on " + where + " ended in state '" + state_name(state) + "' (not completed) after at most " +
                            std::to_string(timeout.count()) + " ms: no bits were read back");

        z_bo.sync(XCL_BO_SYNC_BO_FROM_DEVICE);
        extract::BitString z(m_bits);
        z_bo.read(z.words.data());
        extract::truncate_bits(z, m_bits); // the kernel must zero them; never trust padding
        return z;
    });
}

} // namespace dira::transport
