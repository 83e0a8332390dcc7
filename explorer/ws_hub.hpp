#pragma once
// The live WebSocket clients (/ws) and what is broadcast to them. Each client has a bounded
// send queue: one that falls kMaxQueuedMessages or kMaxQueuedBytes behind is dropped, so a
// slow browser never makes the explorer buffer without bound. One io_context thread.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace coinnet::explorer {

inline constexpr std::size_t kMaxQueuedMessages = 256;
inline constexpr std::size_t kMaxQueuedBytes = 4 * 1024 * 1024;

// A client as the hub sees it: somewhere to queue a text frame.
class WsClient {
  public:
    virtual ~WsClient() = default;
    // Queues `text`; false (and the client closes itself) when its queue is over the bound.
    virtual bool enqueue(std::shared_ptr<const std::string> text) = 0;
};

class WsHub {
  public:
    std::uint64_t add(std::weak_ptr<WsClient> client);
    void remove(std::uint64_t id);
    void broadcast(const std::string& text);
    std::size_t size() const { return clients_.size(); }

  private:
    std::map<std::uint64_t, std::weak_ptr<WsClient>> clients_;
    std::uint64_t next_id_ = 1;
};

}  // namespace coinnet::explorer
