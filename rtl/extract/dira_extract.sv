// dira_extract: the RTL twin of the HLS extraction kernel (hls/extract/extract_kernel.hpp), same
// algorithm; the kinds and status codes are dira_pkg's EXTRACT_KIND_* and EXTRACT_CODE_*, generated
// from the kernel interface (hls/include/dira/extract_interface.hpp). The tests run both on the same
// blocks and require the same bits.
//
// A block: after `start`, x and y arrive as W-bit words (valid/ready, bit i of word w = bit wW+i) and
// are stored in block RAM; then ceil(m/P) passes, each W input bits x P output bits per cycle, each
// ending with one P-bit word on z (valid/ready; z_last on the final word; bits past m are zero).
//   dodis/circulant: z_i = XOR_k x_k y_((i+k) mod n);  toeplitz: z_i = XOR_j x_j y_((i-j) mod (n1+m-1))
// Both are correlations z_i = XOR_k a_k b_(i+k): a = x (toeplitz: x reversed, zero-padded to whole
// words), b = y read cyclically (toeplitz: rotated). See docs/extraction.md.
//
// Pass pipeline: S0 issues RAM reads (b: two y words, even and odd banks; a: one x word),
// S1 funnel-shifts the y words into the b word (splicing y's first word in at the period),
// S2 shifts the b word into a window of E+1 words and updates P parity accumulators.
module dira_extract #(
    parameter int W = 64,          // input bits per cycle (a power of two)
    parameter int P = 64,          // output bits per pass, at most W * 2^ADDR_BITS
    parameter int ADDR_BITS = 12   // each input holds up to 2^ADDR_BITS words of W bits
) (
    input  logic          clk,
    input  logic          rst_n,
    // Control, sampled in the cycle `start` is high while idle.
    input  logic          start,
    input  logic [dira_pkg::EXTRACT_KIND_BITS-1:0] cfg_kind,  // dira_pkg::EXTRACT_KIND_*
    input  logic [31:0]   cfg_x_bits,
    input  logic [31:0]   cfg_y_bits,
    input  logic [31:0]   cfg_m_bits,
    output logic          busy,
    output logic          done,         // one cycle, at the end of a block or on a refusal
    output logic [dira_pkg::EXTRACT_CODE_BITS-1:0] status,   // dira_pkg::EXTRACT_CODE_*; valid from done on
    // Inputs.
    input  logic          x_valid,
    output logic          x_ready,
    input  logic [W-1:0]  x_data,
    input  logic          y_valid,
    output logic          y_ready,
    input  logic [W-1:0]  y_data,
    // Output.
    output logic          z_valid,
    input  logic          z_ready,
    output logic [P-1:0]  z_data,
    output logic          z_last
);
    localparam int LW = $clog2(W);
    localparam int E = (P - 1 + W - 1) / W;   // window words beyond the current one
    localparam int WIN = (E + 1) * W;
    localparam int DEPTH = 1 << ADDR_BITS;
    localparam int CW = ADDR_BITS + 2;        // word counters: up to DEPTH + E
    localparam logic [32:0] MAX_BITS = 33'(DEPTH) * 33'(W);

    localparam int KB = dira_pkg::EXTRACT_KIND_BITS, CB = dira_pkg::EXTRACT_CODE_BITS;
    localparam logic [KB-1:0] K_DODIS = KB'(dira_pkg::EXTRACT_KIND_DODIS),
                              K_CIRCULANT = KB'(dira_pkg::EXTRACT_KIND_CIRCULANT),
                              K_TOEPLITZ = KB'(dira_pkg::EXTRACT_KIND_TOEPLITZ);
    localparam logic [CB-1:0] ST_OK = CB'(dira_pkg::EXTRACT_CODE_OK), ST_BAD_KIND = CB'(dira_pkg::EXTRACT_CODE_BAD_KIND),
                              ST_BAD_SIZES = CB'(dira_pkg::EXTRACT_CODE_BAD_SIZES),
                              ST_TOO_LONG = CB'(dira_pkg::EXTRACT_CODE_TOO_LONG),
                              ST_PERIOD_SHORT = CB'(dira_pkg::EXTRACT_CODE_PERIOD_TOO_SHORT),
                              ST_BAD_M = CB'(dira_pkg::EXTRACT_CODE_BAD_M);
    localparam logic [2:0] S_IDLE = 3'd0, S_LOAD = 3'd1, S_PASS = 3'd2, S_OUT = 3'd3;

    // ---------------------------------------------------------------- size checks (as check_sizes)
    logic [CB-1:0] check;
    logic [32:0] x33, y33, m33, n33;
    always_comb begin
        x33 = {1'b0, cfg_x_bits};
        y33 = {1'b0, cfg_y_bits};
        m33 = {1'b0, cfg_m_bits};
        n33 = cfg_kind == K_CIRCULANT ? y33 : x33;
        if (32'(cfg_kind) >= dira_pkg::EXTRACT_KIND_COUNT) check = ST_BAD_KIND;
        else if (x33 == 33'd0 || x33 > MAX_BITS || y33 > MAX_BITS) check = ST_TOO_LONG;
        else if (y33 < 33'(W) || y33 < 33'(P)) check = ST_PERIOD_SHORT;
        else if (m33 == 33'd0) check = ST_BAD_M;
        else if ((cfg_kind == K_DODIS && x33 != y33) || (cfg_kind == K_CIRCULANT && x33 + 33'd1 != y33) ||
                 (cfg_kind == K_TOEPLITZ && y33 != x33 + m33 - 33'd1)) check = ST_BAD_SIZES;
        else if (m33 > n33) check = ST_BAD_M;
        else check = ST_OK;
    end

    // ---------------------------------------------------------------- block parameters
    logic [2:0]    state;
    logic          toeplitz;
    logic [31:0]   period, m_bits;
    logic [CW-1:0] x_words, y_words, x_count, y_count;
    logic [W-1:0]  x_tail_mask, y_tail_mask, y_head;

    function automatic logic [W-1:0] low_mask(input logic [LW:0] bits);  // bits in 1..W
        logic [W-1:0] m;
        for (int i = 0; i < W; i++) m[i] = (LW + 1)'(i) < bits;
        low_mask = m;   // (yosys 0.23 has no `return`)
    endfunction

    // ---------------------------------------------------------------- RAMs (simple dual port)
    logic [W-1:0] x_mem [DEPTH];
    logic [W-1:0] y_even [DEPTH / 2];
    logic [W-1:0] y_odd [DEPTH / 2];
    logic [ADDR_BITS-1:0]   x_raddr;
    logic [ADDR_BITS-2:0]   even_raddr, odd_raddr;
    logic [W-1:0] x_q, even_q, odd_q;
    logic x_take, y_take;
    assign x_take = x_valid && x_ready;
    assign y_take = y_valid && y_ready;
    wire [ADDR_BITS-1:0] x_waddr = x_count[ADDR_BITS-1:0];
    wire [ADDR_BITS-1:0] y_waddr = y_count[ADDR_BITS-1:0];
    wire [W-1:0] x_wdata = x_count == x_words - 1'b1 ? x_data & x_tail_mask : x_data;
    wire [W-1:0] y_wdata = y_count == y_words - 1'b1 ? y_data & y_tail_mask : y_data;

    always_ff @(posedge clk) begin
        if (x_take) x_mem[x_waddr] <= x_wdata;
        if (y_take && !y_waddr[0]) y_even[y_waddr[ADDR_BITS-1:1]] <= y_wdata;
        if (y_take && y_waddr[0]) y_odd[y_waddr[ADDR_BITS-1:1]] <= y_wdata;
        x_q <= x_mem[x_raddr];
        even_q <= y_even[even_raddr];
        odd_q <= y_odd[odd_raddr];
    end

    // ---------------------------------------------------------------- S0: issue
    logic [31:0]   pos, pass_start, first;
    logic [CW-1:0] j, pass_words;     // pass_words = x_words + E
    logic          issuing;
    wire  [ADDR_BITS-1:0] q = ADDR_BITS'(pos >> LW);   // pos < period <= DEPTH * W
    wire  [31:0]   avail = period - pos;
    wire  [CW-1:0] k = j - CW'(E);
    // toeplitz: a word k is x word x_words-1-k, bit-reversed (a_index < DEPTH whenever used)
    wire  [ADDR_BITS-1:0] a_index = toeplitz ? ADDR_BITS'(x_words - 1'b1 - k) : ADDR_BITS'(k);
    wire  [31:0]   pos_step = pos + 32'(W);
    wire  [31:0]   start_step = pass_start + 32'(P);
    assign odd_raddr = q[ADDR_BITS-1:1];
    assign even_raddr = q[ADDR_BITS-1:1] + (ADDR_BITS - 1)'(q[0]);
    assign x_raddr = a_index;

    logic          s1_valid, s1_has_a, s1_last, s1_short, s1_qodd;
    logic [LW-1:0] s1_r;
    logic [LW:0]   s1_avail;

    // ---------------------------------------------------------------- S1: funnel shift
    logic [2*W-1:0] s1_pair;
    logic [W-1:0]   s1_b, s1_a;
    always_comb begin
        s1_pair = s1_qodd ? {even_q, odd_q} : {odd_q, even_q};
        s1_b = W'(s1_pair >> s1_r);
        if (s1_short) s1_b = (s1_b & low_mask(s1_avail)) | (y_head << s1_avail);
        for (int i = 0; i < W; i++) s1_a[i] = toeplitz ? x_q[W - 1 - i] : x_q[i];
    end

    logic         s2_valid, s2_has_a, s2_last;
    logic [W-1:0] s2_a, s2_b;

    // ---------------------------------------------------------------- S2: window and parities
    logic [E*W-1:0] window;        // the E b words before the current one
    logic [WIN-1:0] window_next;
    logic [P-1:0]   acc, acc_next, z_word;
    always_comb begin
        window_next = {s2_b, window};
        for (int i = 0; i < P; i++) acc_next[i] = acc[i] ^ (s2_has_a & ^(s2_a & window_next[i +: W]));
    end
    wire [31:0] left = m_bits - first;   // output bits still to come, at least 1
    wire [P-1:0] out_mask = left >= 32'(P) ? {P{1'b1}} : low_mask_p(left);

    function automatic logic [P-1:0] low_mask_p(input logic [31:0] bits);
        logic [P-1:0] m;
        for (int i = 0; i < P; i++) m[i] = 32'(i) < bits;
        low_mask_p = m;
    endfunction

    // ---------------------------------------------------------------- control
    always_ff @(posedge clk) begin
        if (!rst_n) begin
            state <= S_IDLE;
            done <= 1'b0;
            status <= ST_OK;
            issuing <= 1'b0;
            s1_valid <= 1'b0;
            s2_valid <= 1'b0;
        end else begin
            done <= 1'b0;
            s1_valid <= 1'b0;
            s2_valid <= s1_valid;
            case (state)
                S_IDLE: if (start) begin
                    status <= check;
                    if (check != ST_OK) begin
                        done <= 1'b1;
                    end else begin
                        state <= S_LOAD;
                        toeplitz <= cfg_kind == K_TOEPLITZ;
                        period <= cfg_y_bits;
                        m_bits <= cfg_m_bits;
                        x_words <= CW'((cfg_x_bits + 32'(W - 1)) >> LW);
                        y_words <= CW'((cfg_y_bits + 32'(W - 1)) >> LW);
                        pass_words <= CW'((cfg_x_bits + 32'(W - 1)) >> LW) + CW'(E);
                        x_tail_mask <= low_mask(LW'(cfg_x_bits - 32'd1) + (LW + 1)'(1));
                        y_tail_mask <= low_mask(LW'(cfg_y_bits - 32'd1) + (LW + 1)'(1));
                        x_count <= '0;
                        y_count <= '0;
                        first <= '0;
                        // b starts at 0 (dodis) or at -(n1p - 1) mod period (toeplitz): one subtraction
                        // brings n1p - 1 below the period because n1p - 1 < n1 + W - 1 <= 2 period.
                        pass_start <= cfg_kind != K_TOEPLITZ ? 32'd0 : toeplitz_start(cfg_x_bits, cfg_y_bits);
                    end
                end
                S_LOAD: begin
                    if (x_take) x_count <= x_count + 1'b1;
                    if (y_take) begin
                        y_count <= y_count + 1'b1;
                        if (y_count == '0) y_head <= y_data;   // y has at least W bits: word 0 is whole
                    end
                    if ((x_count == x_words || (x_take && x_count + 1'b1 == x_words)) &&
                        (y_count == y_words || (y_take && y_count + 1'b1 == y_words))) begin
                        state <= S_PASS;
                        pos <= pass_start;
                        j <= '0;
                        issuing <= 1'b1;
                        window <= '0;
                        acc <= '0;
                    end
                end
                S_PASS: begin
                    if (issuing) begin
                        s1_valid <= 1'b1;
                        s1_r <= pos[LW-1:0];
                        s1_short <= avail < 32'(W);
                        s1_avail <= (LW + 1)'(avail);
                        s1_qodd <= q[0];
                        s1_has_a <= j >= CW'(E);
                        s1_last <= j == pass_words - 1'b1;
                        pos <= pos_step >= period ? pos_step - period : pos_step;
                        j <= j + 1'b1;
                        if (j == pass_words - 1'b1) issuing <= 1'b0;
                    end
                    if (s2_valid) begin
                        window <= window_next[WIN-1:W];
                        acc <= acc_next;
                        if (s2_last) begin
                            z_word <= acc_next & out_mask;
                            state <= S_OUT;
                        end
                    end
                end
                S_OUT: if (z_ready) begin
                    if (left <= 32'(P)) begin
                        state <= S_IDLE;
                        done <= 1'b1;
                    end else begin
                        first <= first + 32'(P);
                        pass_start <= start_step >= period ? start_step - period : start_step;
                        pos <= start_step >= period ? start_step - period : start_step;
                        state <= S_PASS;
                        j <= '0;
                        issuing <= 1'b1;
                        window <= '0;
                        acc <= '0;
                    end
                end
                default: state <= S_IDLE;
            endcase
        end
    end

    // S1 -> S2 registers (data only; s2_valid is in the control block).
    always_ff @(posedge clk) begin
        s2_a <= s1_a;
        s2_b <= s1_b;
        s2_has_a <= s1_has_a;
        s2_last <= s1_last;
    end

    function automatic logic [31:0] toeplitz_start(input logic [31:0] x_bits, input logic [31:0] y_bits);
        logic [31:0] rot;
        rot = ((x_bits + 32'(W - 1)) >> LW << LW) - 32'd1;   // n1p - 1
        if (rot >= y_bits) rot = rot - y_bits;
        toeplitz_start = rot == 32'd0 ? 32'd0 : y_bits - rot;
    endfunction

    assign busy = state != S_IDLE;
    assign x_ready = state == S_LOAD && x_count != x_words;
    assign y_ready = state == S_LOAD && y_count != y_words;
    assign z_valid = state == S_OUT;
    assign z_data = z_word;
    assign z_last = state == S_OUT && left <= 32'(P);
endmodule
