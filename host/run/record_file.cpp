#include "run/record_file.hpp"

#include "core/error.hpp"

namespace dira::run {

RecordFileWriter::RecordFileWriter(const std::filesystem::path& path, std::uint32_t station, store::StoreOptions options,
                                   const store::PlanDigest& plan)
    : writer_(path, station, options, plan) {}

RecordFileWriter RecordFileWriter::resume(const std::filesystem::path& path, store::ResumeReport& report,
                                          store::StoreOptions options) {
    return RecordFileWriter(store::StoreWriter::resume(path, options, report));
}

RecordFileReader::RecordFileReader(const std::filesystem::path& path) : reader_(path) {
    const auto scan = store::scan_store(path, /*check_payloads=*/false);
    if (scan.tail_bytes > 0)
        throw Error(ErrorKind::integrity, "record file " + path.string() + " is damaged or truncated (" + scan.tail_reason +
                                              "): resume the run, or run `dira verify`");
    total_records_ = scan.records;
}

} // namespace dira::run
