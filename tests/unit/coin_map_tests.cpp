// MapCoinView: a standalone coin set, and a scratch layer that never writes to its base.
#include <doctest/doctest.h>

#include "common/consensus/coin_map.hpp"

using namespace coinnet;

namespace {

OutPoint op(std::uint8_t n, std::uint32_t index = 0) {
    return OutPoint{sha256d(Bytes{n}), index};
}
Coin coin(Amount amount, std::uint32_t height = 1) {
    return Coin{TxOut{amount, Hash160{}}, height, false};
}

}  // namespace

TEST_SUITE("coin_map") {
    TEST_CASE("standalone: add, read, spend once") {
        MapCoinView view;
        view.add_coin(op(1), coin(5));
        CHECK(view.get_coin(op(1)) == coin(5));
        CHECK_FALSE(view.get_coin(op(1, 1)));
        CHECK(view.size() == 1);
        CHECK(view.spend_coin(op(1)) == coin(5));
        CHECK_FALSE(view.spend_coin(op(1)));
        CHECK_FALSE(view.get_coin(op(1)));
        CHECK(view.size() == 0);
        CHECK(view.changes().empty());
    }

    TEST_CASE("layer: reads fall through, spends and adds stay in the layer") {
        MapCoinView base;
        base.add_coin(op(1), coin(5));
        base.add_coin(op(2), coin(6));
        const MapCoinView before = base;

        MapCoinView layer(&base);
        CHECK(layer.get_coin(op(1)) == coin(5));
        CHECK(layer.spend_coin(op(1)) == coin(5));
        CHECK_FALSE(layer.get_coin(op(1)));      // spent in the layer ...
        CHECK(base.get_coin(op(1)) == coin(5));  // ... but not in the base
        CHECK_FALSE(layer.spend_coin(op(1)));

        layer.add_coin(op(3), coin(7));
        CHECK(layer.get_coin(op(3)) == coin(7));
        CHECK(layer.spend_coin(op(3)) == coin(7));  // created and spent in the layer
        CHECK_FALSE(layer.get_coin(op(3)));
        layer.add_coin(op(1), coin(9, 2));  // re-created over its tombstone
        CHECK(layer.get_coin(op(1)) == coin(9, 2));

        CHECK(base == before);
        const auto& changes = layer.changes();
        CHECK(changes.size() == 2);
        CHECK(changes.at(op(1)) == coin(9, 2));
        CHECK_FALSE(changes.at(op(3)).has_value());
        CHECK(layer.size() == 1);
    }
}
