# Warnings for dira's own code (not for Verilator's generated C++).
add_library(dira_warnings INTERFACE)
target_compile_options(dira_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow)
