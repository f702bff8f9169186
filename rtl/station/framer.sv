// Framer (docs/station.md, "Framer"): builds frames from the record FIFO and the reply FIFO, or
// test-pattern frames, and writes them one word per cycle into the outgoing FIFO (waiting while it
// is full), with the CRC-32C computed 32 bits per cycle. A frame is chosen in an idle cycle:
// replies first, then records (RECORDS_PER_FRAME waiting, or any waiting and FLUSH_CYCLES cycles
// since the last record came), then a z word of the extractor, then, with TEST_PATTERN and no record
// waiting, a test pattern. A z word waits in the extractor (which stalls), never a record.
module framer #(
    parameter int unsigned RECORD_COUNT_BITS = 5,
    parameter int unsigned REPLY_COUNT_BITS  = 3
) (
    input  logic                                 clk,
    input  logic                                 rst,
    input  logic                                 test_pattern,   // CONTROL.TEST_PATTERN
    input  logic [31:0]                          flush_cycles,   // FLUSH_CYCLES
    input  logic                                 record_pushed,  // a record went into the record FIFO
    input  logic [RECORD_COUNT_BITS-1:0]         record_count,
    output logic [$clog2(dira_pkg::RECORD_WORDS)-1:0] record_select,  // the head record's word ...
    input  logic [31:0]                          record_word_in,  // ... this one
    output logic                                 record_pop,
    input  logic [REPLY_COUNT_BITS-1:0]          reply_count,
    output logic                                 reply_select,    // 0: address, 1: value
    input  logic [31:0]                          reply_word_in,
    output logic                                 reply_pop,
    input  logic                                 z_valid,        // the extractor offers a z word ...
    input  logic [dira_pkg::EXTRACT_P-1:0]       z_data,         // ... this one
    output logic                                 z_pop,
    input  logic                                 out_ready,      // the outgoing FIFO can take a word
    output logic                                 out_push,
    output logic [31:0]                          out_word,
    output logic                                 frame_sent      // the CRC word went out
);
  typedef enum logic [2:0] {
    KIND_NONE,
    KIND_RECORDS,
    KIND_REPLY,
    KIND_TEST,
    KIND_EXTRACT
  } kind_t;

  localparam int unsigned HEADER = dira_pkg::FRAME_HEADER_WORDS;
  localparam int unsigned Z_WORDS = dira_pkg::EXTRACT_P / 32;
  if (dira_pkg::EXTRACT_P != 32) begin : g_z_word_check
    $error("framer: a z word must be one 32-bit payload word (EXTRACT_P = 32)");
  end
  localparam int unsigned RECORD_WORD_BITS = $clog2(dira_pkg::RECORD_WORDS);
  localparam logic [RECORD_WORD_BITS-1:0] LAST_RECORD_WORD = RECORD_WORD_BITS'(dira_pkg::RECORD_WORDS - 1);

  kind_t       sending;
  logic [15:0] payload_words;
  logic [15:0] word_index;   // of the word to write next
  logic [RECORD_WORD_BITS-1:0] record_word;  // of the head record, for the next record payload word
  logic [31:0] crc;
  logic [31:0] sequence_records, sequence_reply, sequence_test, sequence_extract;
  logic [31:0] test_counter;
  logic [31:0] cycles_since_commit;  // saturating

  // The CRC-32C register after one more 32-bit word, least significant bit first (crc32c.hpp).
  function automatic logic [31:0] crc32c_word(input logic [31:0] crc_in, input logic [31:0] word);
    logic [31:0] c;
    c = crc_in ^ word;
    for (int bit_index = 0; bit_index < 32; bit_index++)
      c = (c >> 1) ^ (dira_pkg::CRC32C_POLY_REFLECTED & {32{c[0]}});
    crc32c_word = c;
  endfunction

  // --- choosing a frame (idle cycles) ------------------------------------------------------
  kind_t start;
  logic [15:0] start_payload_words;
  logic [RECORD_COUNT_BITS-1:0] records_in_frame;

  always_comb begin
    if (reply_count != '0) start = KIND_REPLY;
    else if (record_count >= RECORD_COUNT_BITS'(dira_pkg::RECORDS_PER_FRAME) ||
             (record_count != '0 && cycles_since_commit >= flush_cycles))
      start = KIND_RECORDS;
    else if (z_valid) start = KIND_EXTRACT;
    else if (test_pattern && record_count == '0) start = KIND_TEST;
    else start = KIND_NONE;
  end

  assign records_in_frame = record_count < RECORD_COUNT_BITS'(dira_pkg::RECORDS_PER_FRAME) ?
                            record_count : RECORD_COUNT_BITS'(dira_pkg::RECORDS_PER_FRAME);
  always_comb begin
    case (start)
      KIND_RECORDS: start_payload_words = 16'(records_in_frame) * 16'(dira_pkg::RECORD_WORDS);
      KIND_REPLY: start_payload_words = 16'(dira_pkg::REGISTER_REPLY_WORDS);
      KIND_EXTRACT: start_payload_words = 16'(Z_WORDS);
      default: start_payload_words = 16'(dira_pkg::TEST_PATTERN_WORDS);
    endcase
  end

  // --- the word of this cycle --------------------------------------------------------------
  logic [15:0] last_index;
  logic is_payload, is_last;
  logic [7:0] stream_id;
  logic [31:0] sequence_now, payload_word;

  assign last_index = 16'(HEADER) + payload_words;
  assign is_last = word_index == last_index;
  assign is_payload = word_index >= 16'(HEADER) && !is_last;

  always_comb begin
    case (sending)
      KIND_RECORDS: begin
        stream_id    = 8'(dira_pkg::STREAM_RECORDS);
        sequence_now = sequence_records;
        payload_word = record_word_in;
      end
      KIND_REPLY: begin
        stream_id    = 8'(dira_pkg::STREAM_REGISTER_REPLY);
        sequence_now = sequence_reply;
        payload_word = reply_word_in;
      end
      KIND_EXTRACT: begin
        stream_id    = 8'(dira_pkg::STREAM_EXTRACTOR);
        sequence_now = sequence_extract;
        payload_word = z_data;  // one payload word per z word (P = 32, as the HLS model)
      end
      default: begin
        stream_id    = 8'(dira_pkg::STREAM_TEST_PATTERN);
        sequence_now = sequence_test;
        payload_word = test_counter;
      end
    endcase
  end

  always_comb begin
    if (word_index == 16'd0) out_word = dira_pkg::SYNC_WORD;
    else if (word_index == 16'd1)
      out_word = (32'(dira_pkg::FORMAT_VERSION) << dira_pkg::HEADER_VERSION_SHIFT) |
                 (32'(stream_id) << dira_pkg::HEADER_STREAM_SHIFT) |
                 (32'(payload_words) << dira_pkg::HEADER_LENGTH_SHIFT);
    else if (word_index == 16'd2) out_word = sequence_now;
    else if (is_last) out_word = crc ^ dira_pkg::CRC32C_FINAL_XOR;
    else out_word = payload_word;
  end

  assign record_select = record_word;
  assign reply_select = word_index != 16'(HEADER);
  assign out_push = sending != KIND_NONE && out_ready;
  assign frame_sent = out_push && is_last;
  assign record_pop = out_push && is_payload && sending == KIND_RECORDS && record_word == LAST_RECORD_WORD;
  assign reply_pop = out_push && sending == KIND_REPLY && word_index == last_index - 16'd1;
  assign z_pop = out_push && sending == KIND_EXTRACT && word_index == last_index - 16'd1;

  always_ff @(posedge clk) begin
    if (rst) begin
      sending             <= KIND_NONE;
      payload_words       <= 16'd0;
      word_index          <= 16'd0;
      record_word         <= '0;
      crc                 <= dira_pkg::CRC32C_INIT;
      sequence_records    <= 32'd0;
      sequence_reply      <= 32'd0;
      sequence_test       <= 32'd0;
      sequence_extract    <= 32'd0;
      test_counter        <= 32'd0;
      cycles_since_commit <= 32'd0;
    end else begin
      if (sending == KIND_NONE) begin
        if (start != KIND_NONE) begin
          sending       <= start;
          payload_words <= start_payload_words;
          word_index    <= 16'd0;
          record_word   <= '0;
          crc           <= dira_pkg::CRC32C_INIT;
        end
      end else if (out_push) begin
        word_index <= word_index + 16'd1;
        if (!is_last) crc <= crc32c_word(crc, out_word);
        if (is_payload && sending == KIND_RECORDS)
          record_word <= record_word == LAST_RECORD_WORD ? '0 : record_word + 1'b1;
        if (is_payload && sending == KIND_TEST) test_counter <= test_counter + 32'd1;
        if (is_last) begin
          sending <= KIND_NONE;
          case (sending)
            KIND_RECORDS: sequence_records <= sequence_records + 32'd1;
            KIND_REPLY: sequence_reply <= sequence_reply + 32'd1;
            KIND_EXTRACT: sequence_extract <= sequence_extract + 32'd1;
            default: sequence_test <= sequence_test + 32'd1;
          endcase
        end
      end
      if (record_pushed) cycles_since_commit <= 32'd0;
      else if (cycles_since_commit != 32'hFFFF_FFFF) cycles_since_commit <= cycles_since_commit + 32'd1;
    end
  end
endmodule
