#pragma once
// What the person typed, as the wallet echoes it back in errors: UTF-8 taken exactly, never
// altered silently; words cut to a readable length (whole code points); the first character
// that is not ASCII named, so "2０" is seen to hold a fullwidth zero.
#include <optional>
#include <string>
#include <string_view>

namespace coinnet::wallet {

inline constexpr std::size_t kEchoLimit = 40;  // code points of a word echoed in an error

// 'word' in quotes, cut after kEchoLimit code points with "…" and its length in characters.
std::string echo_word(std::string_view word);

// "U+FF10" for the first code point outside ASCII (or "a byte that is not UTF-8"), nullopt
// when the text is all ASCII.
std::optional<std::string> first_non_ascii(std::string_view text);

}  // namespace coinnet::wallet

namespace coinnet::wallet {

// Makes the C library (and so libedit) read the terminal as UTF-8: the user's locale when it
// is a UTF-8 one, C.UTF-8 otherwise. Without it libedit drops every non-ASCII byte, and
// "send Bøb 1" would look for "Bb".
void take_utf8_input();

}  // namespace coinnet::wallet
