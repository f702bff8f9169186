# Builds the iCE40-HX8K + FT2232H station bitstream with the open flow and checks its timing:
#   icepll (PLL settings for the station clock) -> yosys synth_ice40 -> nextpnr-ice40 (fails when
#   a clock misses its constraint) -> icepack (.bin).
# Run by the build target bitstream_ice40_hx8k_ft2232h and by its ctest; all tool paths and the
# source list come from rtl/board/CMakeLists.txt:
#   cmake -DYOSYS=... -DNEXTPNR=... -DICEPACK=... -DICEPLL=... -DSOURCES="a.sv|b.sv" -DOUT_DIR=...
#         [-DSTATION_ID=0|1] -P build.cmake
include(${CMAKE_CURRENT_LIST_DIR}/board.cmake)
if(NOT DEFINED STATION_ID)
  set(STATION_ID 0)
endif()
foreach(var YOSYS NEXTPNR ICEPACK ICEPLL SOURCES OUT_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "build.cmake needs -D${var}=...")
  endif()
endforeach()
file(MAKE_DIRECTORY ${OUT_DIR})
string(REPLACE "|" ";" SOURCES "${SOURCES}")

function(run_step name log)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_FILE ${OUT_DIR}/${log} ERROR_FILE ${OUT_DIR}/${log}.err)
  if(NOT rc EQUAL 0)
    file(READ ${OUT_DIR}/${log}.err err)
    file(STRINGS ${OUT_DIR}/${log} tail REGEX "ERROR|FAIL|rror")
    message(FATAL_ERROR "${name} failed (${rc}); see ${OUT_DIR}/${log}\n${tail}\n${err}")
  endif()
endfunction()

# --- PLL settings for exactly the station clock ------------------------------------------------
# icepll takes MHz; the clocks are whole kHz.
math(EXPR in_khz "${DIRA_ICE40_OSCILLATOR_HZ} / 1000")
math(EXPR out_khz "${DIRA_ICE40_STATION_CLOCK_HZ} / 1000")
math(EXPR in_mhz_int "${in_khz} / 1000")
math(EXPR in_mhz_frac "${in_khz} % 1000")
math(EXPR out_mhz_int "${out_khz} / 1000")
math(EXPR out_mhz_frac "${out_khz} % 1000")
foreach(frac in_mhz_frac out_mhz_frac)
  if(${frac} LESS 10)
    set(${frac} "00${${frac}}")
  elseif(${frac} LESS 100)
    set(${frac} "0${${frac}}")
  endif()
endforeach()
execute_process(COMMAND ${ICEPLL} -i ${in_mhz_int}.${in_mhz_frac} -o ${out_mhz_int}.${out_mhz_frac}
                OUTPUT_VARIABLE pll RESULT_VARIABLE rc)
string(REGEX MATCH "F_PLLOUT: *([0-9.]+) MHz \\(achieved\\)" unused "${pll}")
if(NOT rc EQUAL 0 OR NOT CMAKE_MATCH_1)
  message(FATAL_ERROR "icepll found no PLL setting for ${DIRA_ICE40_STATION_CLOCK_HZ} Hz:\n${pll}")
endif()
# (The top checks at elaboration that the settings give exactly STATION_CLOCK_HZ.)
foreach(field DIVR DIVF DIVQ FILTER_RANGE)
  string(REGEX MATCH "${field}: *([0-9]+)" unused "${pll}")
  set(PLL_${field} ${CMAKE_MATCH_1})
endforeach()

# --- synthesis ----------------------------------------------------------------------------------
string(REPLACE ";" " " sources "${SOURCES}")
set(chparams "-set STATION_CLOCK_HZ ${DIRA_ICE40_STATION_CLOCK_HZ} -set STATION_ID ${STATION_ID}")
string(APPEND chparams " -set OSCILLATOR_HZ ${DIRA_ICE40_OSCILLATOR_HZ} -set PLL_DIVR ${PLL_DIVR} -set PLL_DIVF ${PLL_DIVF}")
string(APPEND chparams " -set PLL_DIVQ ${PLL_DIVQ} -set PLL_FILTER_RANGE ${PLL_FILTER_RANGE}")
file(WRITE ${OUT_DIR}/synth.ys
     "read_verilog -sv ${sources}\nchparam ${chparams} ${DIRA_ICE40_TOP}\n"
     "synth_ice40 -top ${DIRA_ICE40_TOP} -json ${OUT_DIR}/station.json\nstat\n")
run_step(yosys synth.out ${YOSYS} -q -l ${OUT_DIR}/synth.log -s ${OUT_DIR}/synth.ys)

# --- place and route at the documented clocks ---------------------------------------------------
math(EXPR osc_khz "${DIRA_ICE40_OSCILLATOR_HZ} / 1000")
math(EXPR usb_khz "${DIRA_ICE40_USB_CLOCK_HZ} / 1000")
# nextpnr derives the station clock's constraint through the PLL from the oscillator's.
file(WRITE ${OUT_DIR}/clocks.py
     "ctx.addClock(\"clk_12mhz\", ${osc_khz} / 1000.0)\nctx.addClock(\"ft_clkout\", ${usb_khz} / 1000.0)\n")
run_step(nextpnr-ice40 pnr.log ${NEXTPNR} --${DIRA_ICE40_DEVICE} --package ${DIRA_ICE40_PACKAGE} --pcf ${DIRA_ICE40_PCF}
         --json ${OUT_DIR}/station.json --pre-pack ${OUT_DIR}/clocks.py --asc ${OUT_DIR}/station.asc
         --report ${OUT_DIR}/nextpnr-report.json --detailed-timing-report --seed 1 -l ${OUT_DIR}/pnr.log)
run_step(icepack icepack.log ${ICEPACK} ${OUT_DIR}/station.asc ${OUT_DIR}/station.bin)

# The figures (Fmax, LUTs, FFs, trigger-to-setting delay) are read out of synth.log and
# nextpnr-report.json by dira_board_report (rtl/board/tools), which the callers run next.
message(STATUS "ice40-hx8k-ft2232h: bitstream ${OUT_DIR}/station.bin (timing closed: nextpnr fails otherwise)")
