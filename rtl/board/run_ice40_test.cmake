# ctest: the iCE40 open flow from scratch, then its figures; fails when nextpnr misses a clock
# constraint (nextpnr exits non-zero), when dira_board_report finds a clock below its constraint or
# a lab pin's path longer than the board's pad timing, or when docs/boards.md's figures table or
# README's summary no longer says what the build does.
# Takes build.cmake's variables (YOSYS, NEXTPNR, ICEPACK, ICEPLL, SOURCES) and FLOW, REPORT, CLOCK_HZ,
# BOARDS_DOC, README.
file(REMOVE_RECURSE ${OUT_DIR})
include(${FLOW})
execute_process(COMMAND ${REPORT} ${OUT_DIR}/synth.log ${OUT_DIR}/nextpnr-report.json ${CLOCK_HZ} ${DIRA_ICE40_PAD_TIMING}
                        ${OUT_DIR}/report.json --doc ${BOARDS_DOC} ${README}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the iCE40 build misses its timing at ${CLOCK_HZ} Hz or its documented figures (see above and ${OUT_DIR}/pnr.log)")
endif()
