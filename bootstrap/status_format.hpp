#pragma once
// `bootstrap --status`: the network at a glance, as a text table or SPEC §2's JSON.
#include <string>

#include <nlohmann/json.hpp>

#include "proto/coinnet.pb.h"

namespace coinnet::bootstrap {

nlohmann::json status_json(const wire::BootstrapStatus& status);
std::string status_text(const wire::BootstrapStatus& status, std::int64_t now);

}  // namespace coinnet::bootstrap
