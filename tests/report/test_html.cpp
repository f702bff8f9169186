// Escaping for the report page: what comes from a run directory shows as text and never as markup.
#include <catch2/catch.hpp>

#include "report/html.hpp"
#include "report/picture.hpp"

using namespace dira::report;

TEST_CASE("html_text escapes markup and quotes") {
    CHECK(html_text("<script>alert('x')</script> & \"q\"") ==
          "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    CHECK(html_text("plain ε = 0.0075") == "plain ε = 0.0075");
}

TEST_CASE("html_text replaces invalid UTF-8 and control characters") {
    CHECK(html_text(std::string("a\xff" "b")) == "a\xEF\xBF\xBD" "b");
    CHECK(html_text(std::string("\xC0\xAF")) == "\xEF\xBF\xBD\xEF\xBF\xBD"); // an overlong '/'
    CHECK(html_text(std::string("\xED\xA0\x80")) == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // a surrogate
    CHECK(html_text(std::string("x\x1b[31my")) == "x\xEF\xBF\xBD[31my");
    CHECK(html_text("tab\tand\nnewline") == "tab\tand\nnewline");
}

TEST_CASE("script_json cannot close its script element") {
    const nlohmann::json value = {{"run_id", "</script><script>alert(1)</script><!--"}, {"n", 3}};
    const std::string text = script_json(value);
    CHECK(text.find('<') == std::string::npos);
    CHECK(text.find('>') == std::string::npos);
    CHECK(nlohmann::json::parse(text) == value); // still the same JSON for the page's script
}

TEST_CASE("script_json replaces invalid UTF-8 instead of failing") {
    const nlohmann::json value = {{"name", std::string("bad \xff byte")}};
    CHECK(nlohmann::json::parse(script_json(value))["name"] == "bad \xEF\xBF\xBD byte");
}

TEST_CASE("csp_script_hash is the CSP source of the script's SHA-256") {
    // SHA-256("") = e3b0c442...b855, in base64 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= (FIPS 180-4 test vector).
    CHECK(csp_script_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
}

TEST_CASE("base64 follows RFC 4648's test vectors") {
    auto b64 = [](std::string s) { return base64(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size())); };
    CHECK(b64("") == "");
    CHECK(b64("f") == "Zg==");
    CHECK(b64("fo") == "Zm8=");
    CHECK(b64("foo") == "Zm9v");
    CHECK(b64("foob") == "Zm9vYg==");
    CHECK(b64("fooba") == "Zm9vYmE=");
    CHECK(b64("foobar") == "Zm9vYmFy");
}

TEST_CASE("the picture has a frame and letters, and a pad XORs it bit by bit") {
    const Picture p = draw_picture();
    REQUIRE(p.pixels.size() == kPictureBits);
    std::size_t ink = 0;
    for (auto v : p.pixels) ink += v;
    CHECK(ink > kPictureBits / 10);
    CHECK(ink < kPictureBits / 2);
    CHECK(p.pixels[0] == 0);                             // the white border
    CHECK(p.pixels[5 * kPictureWidth + 5] == 1);         // the frame
    CHECK(p.pixels[20 * kPictureWidth + kPictureWidth / 2] == 0); // inside the frame, above the letters

    std::vector<std::uint8_t> ones(kPictureBits / 8, 0xFF);
    const Picture inverted = xor_with_pad(p, ones, kPictureBits);
    CHECK(inverted.known == kPictureBits);
    for (std::size_t i = 0; i < kPictureBits; i += 97) CHECK(inverted.pixels[i] == 1 - p.pixels[i]);

    const std::vector<std::uint8_t> pad = {0b00000101};
    const Picture partial = xor_with_pad(p, pad, 3); // only 3 pad bits: 3 pixels known
    CHECK(partial.known == 3);
    CHECK(partial.pixels[0] == (p.pixels[0] ^ 1));
    CHECK(partial.pixels[1] == p.pixels[1]);
    CHECK(partial.pixels[2] == (p.pixels[2] ^ 1));
}
