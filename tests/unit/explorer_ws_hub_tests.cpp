// The explorer's /ws broadcast (explorer/ws_hub.hpp): one copy of a message for every client,
// and a client whose bounded queue refuses it (a browser that stopped reading) is dropped.
#include <doctest/doctest.h>

#include <vector>

#include "explorer/ws_hub.hpp"

using namespace coinnet::explorer;

namespace {
struct FakeClient : WsClient {
    std::vector<std::shared_ptr<const std::string>> got;
    std::size_t room = 1000;  // frames it accepts before its queue is "full"
    bool enqueue(std::shared_ptr<const std::string> text) override {
        if (got.size() >= room)
            return false;
        got.push_back(std::move(text));
        return true;
    }
};
}  // namespace

TEST_SUITE("explorer ws hub") {
    TEST_CASE("broadcast reaches every client with one shared copy; a full client is dropped") {
        WsHub hub;
        auto fast = std::make_shared<FakeClient>();
        auto slow = std::make_shared<FakeClient>();
        slow->room = 2;
        hub.add(fast);
        hub.add(slow);
        for (int i = 0; i < 5; ++i)
            hub.broadcast("{\"type\":\"block\"}");
        CHECK(fast->got.size() == 5);
        CHECK(slow->got.size() == 2);
        CHECK(hub.size() == 1);
        CHECK(fast->got[0].get() != fast->got[1].get());
        CHECK(*fast->got[4] == "{\"type\":\"block\"}");
    }

    TEST_CASE("a client that went away is forgotten; remove() forgets at once") {
        WsHub hub;
        auto gone = std::make_shared<FakeClient>();
        auto kept = std::make_shared<FakeClient>();
        hub.add(gone);
        const auto id = hub.add(kept);
        gone.reset();
        hub.broadcast("x");
        CHECK(hub.size() == 1);
        hub.remove(id);
        CHECK(hub.size() == 0);
        hub.broadcast("y");  // nobody: nothing happens
        CHECK(kept->got.size() == 1);
    }
}
