#include "common/node/help_format.hpp"

namespace coinnet {

namespace {
constexpr std::size_t kTerminalWidth = 80;
}

std::string wrap_words(std::string_view text, std::size_t width) {
    std::string out;
    std::size_t line = 0;  // characters on the current output line
    std::size_t at = 0;
    while (at < text.size()) {
        if (text[at] == '\n') {
            out += '\n';
            line = 0;
            ++at;
            continue;
        }
        if (text[at] == ' ') {
            ++at;
            continue;
        }
        std::size_t end = text.find_first_of(" \n", at);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view word = text.substr(at, end - at);
        if (line > 0 && line + 1 + word.size() > width) {
            out += '\n';
            line = 0;
        } else if (line > 0) {
            out += ' ';
            ++line;
        }
        out += word;
        line += word.size();
        at = end;
    }
    return out;
}

std::string WrappingFormatter::make_option_desc(const CLI::Option* option) const {
    const std::size_t column = get_column_width();
    const std::size_t width = column + 20 < kTerminalWidth ? kTerminalWidth - column : 20;
    return wrap_words(CLI::Formatter::make_option_desc(option), width);
}

}  // namespace coinnet
