#include "common/util/reasons.hpp"

#include <array>
#include <map>
#include <string>

// Every switch here names every enumerator (a default would not excuse a missing one), so a
// reason added to a table does not build until this policy decides it.
#pragma GCC diagnostic error "-Wswitch-enum"

namespace coinnet {

namespace {

struct Row {
    Reason reason;
    std::string_view code;
    ReasonKind kind;
};

// Each layer's rows, in enumerator order, so a reason's row is table[layer][index].
#define COINNET_REASON_ROW(name, code, kind) Row{LayerEnum::name, code, ReasonKind::kind},
#define COINNET_REASON_TABLE(Layer, TABLE)  \
    std::vector<Row> rows_of_##Layer() {    \
        using LayerEnum = Layer##Reason;    \
        return {TABLE(COINNET_REASON_ROW)}; \
    }
COINNET_REASON_LAYERS(COINNET_REASON_TABLE)
#undef COINNET_REASON_TABLE
#undef COINNET_REASON_ROW

#define COINNET_REASON_LAYER_COUNT(Layer, TABLE) +1
constexpr std::size_t kLayers = 0 COINNET_REASON_LAYERS(COINNET_REASON_LAYER_COUNT);
#undef COINNET_REASON_LAYER_COUNT

const std::array<std::vector<Row>, kLayers>& tables() {
#define COINNET_REASON_ROWS(Layer, TABLE) rows_of_##Layer(),
    static const std::array<std::vector<Row>, kLayers> all = {
        COINNET_REASON_LAYERS(COINNET_REASON_ROWS)};
#undef COINNET_REASON_ROWS
    return all;
}

const Row& row_of(Reason reason) {
    return tables()[static_cast<std::size_t>(reason.layer())][reason.index_in_layer()];
}

}  // namespace

std::string_view wire_code(Reason reason) {
    return row_of(reason).code;
}

ReasonKind kind_of(Reason reason) {
    return row_of(reason).kind;
}

std::optional<Reason> reason_from_code(std::string_view code) {
    static const std::map<std::string_view, Reason> by_code = [] {
        std::map<std::string_view, Reason> m;
        for (Reason r : all_reasons())
            m.emplace(wire_code(r), r);
        return m;
    }();
    auto it = by_code.find(code);
    if (it == by_code.end() || it->second == NetReason::kUnknownCode)
        return std::nullopt;
    return it->second;
}

const std::vector<Reason>& all_reasons() {
    static const std::vector<Reason> all = [] {
        std::vector<Reason> out;
        for (const auto& table : tables())
            for (const Row& row : table)
                out.push_back(row.reason);
        return out;
    }();
    return all;
}

bool is_network_failure(Reason reason) {
    switch (kind_of(reason)) {
        case ReasonKind::kTransport:
            return true;
        case ReasonKind::kInvalid:
        case ReasonKind::kPolicy:
        case ReasonKind::kMissing:
        case ReasonKind::kInternal:
            return false;
    }
    return false;
}

std::string_view kind_name(ReasonKind kind) {
    switch (kind) {
        case ReasonKind::kInvalid:
            return "invalid";
        case ReasonKind::kPolicy:
            return "policy";
        case ReasonKind::kMissing:
            return "missing";
        case ReasonKind::kTransport:
            return "transport";
        case ReasonKind::kInternal:
            return "internal";
    }
    return "internal";
}

}  // namespace coinnet
