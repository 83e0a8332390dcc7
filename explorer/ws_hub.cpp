#include "explorer/ws_hub.hpp"

namespace coinnet::explorer {

std::uint64_t WsHub::add(std::weak_ptr<WsClient> client) {
    const std::uint64_t id = next_id_++;
    clients_[id] = std::move(client);
    return id;
}

void WsHub::remove(std::uint64_t id) {
    clients_.erase(id);
}

void WsHub::broadcast(const std::string& text) {
    if (clients_.empty())
        return;
    auto shared = std::make_shared<const std::string>(text);  // one copy for every client
    for (auto it = clients_.begin(); it != clients_.end();) {
        auto client = it->second.lock();
        if (!client || !client->enqueue(shared))
            it = clients_.erase(it);
        else
            ++it;
    }
}

}  // namespace coinnet::explorer
