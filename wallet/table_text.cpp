#include "wallet/table_text.hpp"

#include <algorithm>

namespace coinnet::wallet {

namespace {

std::size_t code_points(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

}  // namespace

std::vector<std::string> aligned_amounts(const std::vector<Amount>& amounts) {
    std::vector<std::pair<std::string, std::string>> parts;  // whole, ".fraction" or ""
    std::size_t whole_width = 0, fraction_width = 0;
    for (Amount a : amounts) {
        std::string text = format_amount(a);
        auto dot = text.find('.');
        std::string whole = text.substr(0, dot);
        std::string fraction = dot == std::string::npos ? "" : text.substr(dot);
        whole_width = std::max(whole_width, whole.size());
        fraction_width = std::max(fraction_width, fraction.size());
        parts.emplace_back(std::move(whole), std::move(fraction));
    }
    std::vector<std::string> out;
    for (auto& [whole, fraction] : parts)
        out.push_back(std::string(whole_width - whole.size(), ' ') + whole + fraction +
                      std::string(fraction_width - fraction.size(), ' '));
    return out;
}

std::string cut_to(const std::string& text, std::size_t width) {
    if (code_points(text) <= width || width == 0)
        return text;
    std::string out;
    std::size_t points = 0;
    for (char c : text) {
        bool starts = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        if (starts && ++points == width)
            break;
        out += c;
    }
    return out + "…";
}

std::string pad_to(const std::string& text, std::size_t width) {
    std::size_t points = code_points(text);
    return points >= width ? text : text + std::string(width - points, ' ');
}

}  // namespace coinnet::wallet
