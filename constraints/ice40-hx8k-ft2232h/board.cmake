# The iCE40-HX8K + FT2232H board's build facts, read by rtl/board/CMakeLists.txt and build.cmake.
# The station clock is the one definition for this board: the PLL settings come from icepll for it,
# the station reports it in CLOCK_HZ, and nextpnr must close timing at it (docs/boards.md).
set(DIRA_ICE40_DEVICE hx8k)
set(DIRA_ICE40_PACKAGE ct256)
set(DIRA_ICE40_TOP ice40_hx8k_top)
set(DIRA_ICE40_OSCILLATOR_HZ 12000000)     # the breakout's crystal oscillator
set(DIRA_ICE40_STATION_CLOCK_HZ 30000000)  # from the PLL; nextpnr reaches 32-37 MHz (98.9 % of the LCs in use)
set(DIRA_ICE40_USB_CLOCK_HZ 60000000)      # the FT2232H's CLKOUT in 245 synchronous FIFO mode
set(DIRA_ICE40_PCF ${CMAKE_CURRENT_LIST_DIR}/station.pcf)
set(DIRA_ICE40_PAD_TIMING ${CMAKE_CURRENT_LIST_DIR}/pad_timing.json)  # the lab pins' and the FT2232H bus's pad timing
