#include "common/node/console.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

namespace coinnet {

namespace {
struct Style {
    const char* tag;
    const char* color;  // ANSI SGR
    spdlog::level::level_enum level;
};

Style style_of(Event e) {
    switch (e) {
        case Event::kInfo:
            return {"info  ", "1;37", spdlog::level::info};
        case Event::kPeer:
            return {"peer  ", "36", spdlog::level::info};
        case Event::kTx:
            return {"tx    ", "34", spdlog::level::info};
        case Event::kMining:
            return {"mining", "35", spdlog::level::info};
        case Event::kMined:
            return {"MINED ", "1;32", spdlog::level::info};
        case Event::kBlock:
            return {"block ", "32", spdlog::level::info};
        case Event::kReorg:
            return {"REORG ", "1;33", spdlog::level::warn};
        case Event::kRefused:
            return {"refuse", "31", spdlog::level::warn};
        case Event::kWarn:
            return {"warn  ", "33", spdlog::level::warn};
        case Event::kStatus:
            return {"status", "2;37", spdlog::level::info};
        case Event::kWallet:
            return {"wallet", "1;36", spdlog::level::info};
    }
    return {"      ", "0", spdlog::level::info};
}

bool colors() {
    static const bool tty = ::isatty(1) == 1;
    return tty;
}
}  // namespace

void console_event(Event event, const std::string& text) {
    Style s = style_of(event);
    if (colors())
        spdlog::log(s.level, "\033[{}m{}\033[0m {}", s.color, s.tag, text);
    else
        spdlog::log(s.level, "{} {}", s.tag, text);
}

std::string short_hash(const std::string& hex, std::size_t keep) {
    return hex.size() <= keep ? hex : hex.substr(0, keep) + "…";
}

}  // namespace coinnet
