# ctest: the iCE40 open flow from scratch, then its figures; fails when nextpnr misses a clock
# constraint (nextpnr exits non-zero) or dira_board_report finds a clock below its constraint.
# Takes build.cmake's variables (YOSYS, NEXTPNR, ICEPACK, ICEPLL, SOURCES) and FLOW, REPORT, CLOCK_HZ.
file(REMOVE_RECURSE ${OUT_DIR})
include(${FLOW})
execute_process(COMMAND ${REPORT} ${OUT_DIR}/synth.log ${OUT_DIR}/nextpnr-report.json ${CLOCK_HZ} ${OUT_DIR}/report.json
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the iCE40 build does not close timing at ${CLOCK_HZ} Hz: see ${OUT_DIR}/pnr.log")
endif()
