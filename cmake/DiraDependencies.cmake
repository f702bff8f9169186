# Every dependency comes from a Debian 12 package; scripts/debian-packages.txt lists them and
# scripts/setup installs them. A missing one stops the configure step with the package to install.

function(dira_require found package)
  if(NOT ${found})
    message(FATAL_ERROR "dira needs the Debian package '${package}': run scripts/setup as root, "
                        "or: sudo apt-get install ${package}")
  endif()
endfunction()

find_package(verilator HINTS $ENV{VERILATOR_ROOT})
dira_require(verilator_FOUND verilator)

find_package(Catch2 2 QUIET)
if(DIRA_BUILD_TESTS)
  dira_require(Catch2_FOUND catch2)
endif()

find_package(CLI11 QUIET CONFIG)
dira_require(CLI11_FOUND libcli11-dev)
find_package(nlohmann_json 3 QUIET CONFIG)
dira_require(nlohmann_json_FOUND nlohmann-json3-dev)
find_package(OpenSSL QUIET COMPONENTS Crypto)
dira_require(OpenSSL_FOUND libssl-dev)
find_package(Threads REQUIRED)

find_package(PkgConfig QUIET)
dira_require(PkgConfig_FOUND pkg-config)
pkg_check_modules(SYSTEMC QUIET IMPORTED_TARGET systemc)
dira_require(SYSTEMC_FOUND libsystemc-dev)
pkg_check_modules(GF2X QUIET IMPORTED_TARGET gf2x)
dira_require(GF2X_FOUND libgf2x-dev)
pkg_check_modules(LIBUSB QUIET IMPORTED_TARGET libusb-1.0)
dira_require(LIBUSB_FOUND libusb-1.0-0-dev)
pkg_check_modules(LIBFTDI QUIET IMPORTED_TARGET libftdi1)
dira_require(LIBFTDI_FOUND libftdi1-dev)
pkg_check_modules(ZSTD QUIET IMPORTED_TARGET libzstd)
dira_require(ZSTD_FOUND libzstd-dev)
# The station server and the tcp:// transport (host/net): ZeroMQ with CURVE; cppzmq's zmq.hpp.
pkg_check_modules(LIBZMQ QUIET IMPORTED_TARGET libzmq)
dira_require(LIBZMQ_FOUND libzmq3-dev)
find_path(CPPZMQ_INCLUDE_DIR zmq.hpp)
dira_require(CPPZMQ_INCLUDE_DIR cppzmq-dev)

# The USB chips emulated at usbdevfs for the tests (label usb-emulated): umockdev's library, and
# its wrapper that preloads it into the test programs.
if(DIRA_BUILD_TESTS)
  pkg_check_modules(UMOCKDEV QUIET IMPORTED_TARGET umockdev-1.0)
  dira_require(UMOCKDEV_FOUND libumockdev-dev)
  find_program(UMOCKDEV_WRAPPER umockdev-wrapper)
  dira_require(UMOCKDEV_WRAPPER umockdev)
endif()

if(DIRA_BUILD_BENCH)
  find_package(benchmark QUIET)
  dira_require(benchmark_FOUND libbenchmark-dev)
endif()

# Optional: Xilinx XRT (for the xrt transport). Detected, never required.
find_package(XRT QUIET HINTS /opt/xilinx/xrt/share/cmake $ENV{XILINX_XRT}/share/cmake)
if(XRT_FOUND)
  message(STATUS "dira: XRT found, building the xrt transport")
else()
  message(STATUS "dira: XRT not found, the xrt transport is not built (optional)")
endif()

find_program(YOSYS_EXECUTABLE yosys)
find_program(NEXTPNR_ICE40_EXECUTABLE nextpnr-ice40)
find_program(ICEPACK_EXECUTABLE icepack)
