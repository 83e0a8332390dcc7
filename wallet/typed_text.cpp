#include "wallet/typed_text.hpp"

#include <fmt/format.h>
#include <langinfo.h>

#include <clocale>
#include <cstring>

namespace coinnet::wallet {

namespace {

// Length of the UTF-8 sequence starting with `lead`, 0 when it cannot start one.
std::size_t sequence_length(unsigned char lead) {
    if (lead < 0x80)
        return 1;
    if ((lead & 0xE0) == 0xC0)
        return 2;
    if ((lead & 0xF0) == 0xE0)
        return 3;
    if ((lead & 0xF8) == 0xF0)
        return 4;
    return 0;
}

// The code point at `at` and its length; nullopt for a byte that is not UTF-8.
std::optional<std::pair<char32_t, std::size_t>> decode(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    std::size_t length = sequence_length(lead);
    if (length == 0 || at + length > text.size())
        return std::nullopt;
    char32_t point = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[at + i]);
        if ((next & 0xC0) != 0x80)
            return std::nullopt;
        point = (point << 6) | (next & 0x3F);
    }
    return std::pair{point, length};
}

}  // namespace

std::string echo_word(std::string_view word) {
    std::size_t at = 0, points = 0, cut = std::string_view::npos;
    while (at < word.size()) {
        auto next = decode(word, at);
        at += next ? next->second : 1;
        if (++points == kEchoLimit)
            cut = at;
    }
    if (points <= kEchoLimit || cut == std::string_view::npos)
        return "'" + std::string(word) + "'";
    return fmt::format("'{}…' ({} characters)", word.substr(0, cut), points);
}

std::optional<std::string> first_non_ascii(std::string_view text) {
    for (std::size_t at = 0; at < text.size();) {
        auto next = decode(text, at);
        if (!next)
            return std::string("a byte that is not UTF-8");
        if (next->first >= 0x80)
            return fmt::format("U+{:04X}", static_cast<std::uint32_t>(next->first));
        at += next->second;
    }
    return std::nullopt;
}

void take_utf8_input() {
    // Only the character type: numbers and messages stay in the C locale.
    if (std::setlocale(LC_CTYPE, "") && std::strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
        return;
    (void)std::setlocale(LC_CTYPE, "C.UTF-8");
}

}  // namespace coinnet::wallet
