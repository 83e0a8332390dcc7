#pragma once
// The chain's coin set as consensus rules see it.
//
// StorageCoinView reads coins straight from the database. Writes never go to it directly:
// ChainState connects or disconnects a block onto a scratch MapCoinView layered over it
// (common/consensus/coin_map.hpp), and only hands the layer's changes() to Storage::connect /
// disconnect, which applies them inside the block's own transaction. A block that fails
// half-way is dropped with its layer, so a failed connect never leaves half a block in the
// coin set.
#include <optional>
#include <type_traits>
#include <utility>

#include "common/chain/storage.hpp"
#include "common/consensus/coin_map.hpp"
#include "common/consensus/coins.hpp"

namespace coinnet {

class StorageCoinView : public CoinView {
  public:
    explicit StorageCoinView(const Storage& storage) : storage_(storage) {}
    std::optional<Coin> get_coin(const OutPoint& outpoint) const override {
        return storage_.read_coin(outpoint);
    }

  private:
    const Storage& storage_;
};

// A scratch layer over the stored coins; its changes() are exactly a CoinChanges.
class UtxoWriteLayer : public MapCoinView {
  public:
    explicit UtxoWriteLayer(const StorageCoinView& stored) : MapCoinView(&stored) {}
};

static_assert(std::is_same_v<std::remove_cvref_t<decltype(std::declval<MapCoinView>().changes())>,
                             CoinChanges>,
              "Storage applies a MapCoinView's changes as they are");

}  // namespace coinnet
