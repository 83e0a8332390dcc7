#pragma once
// The page's static files (explorer/web/*), embedded at build time by embed_web.cmake: no
// files to install beside the executable, nothing fetched from the internet.
#include <cstddef>
#include <string_view>

namespace coinnet::explorer {

struct WebAsset {
    const char* path;  // "/index.html"
    const char* content_type;
    const unsigned char* data;
    std::size_t size;
};

// nullptr when no embedded file has that path.
const WebAsset* find_web_asset(std::string_view path);

}  // namespace coinnet::explorer
