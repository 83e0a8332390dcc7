#pragma once
// `--help` that reads at an 80-column terminal (SPEC §1: help that explains).
#include <CLI/CLI.hpp>
#include <cstddef>
#include <string>
#include <string_view>

namespace coinnet {

// `text` with its words wrapped onto lines of at most `width` characters (a longer word
// stands alone), keeping the line breaks it already has.
std::string wrap_words(std::string_view text, std::size_t width);

// CLI11 prints each option's description after a 30-column name column and never wraps it,
// so at 80 columns a long description ran on under the next option's name. This formatter
// wraps descriptions to fit the terminal's 80 columns.
class WrappingFormatter : public CLI::Formatter {
  public:
    std::string make_option_desc(const CLI::Option* option) const override;
};

}  // namespace coinnet
