#pragma once
// Connects the socket layer to the bootstrap's Service: every session's requests are handled
// on the io thread (the bootstrap's single owner) and answered with the request id echoed.
// A miner registration is answered only once the miner has been reached at its registered
// address and proved its key there (MinerProbe), or refused.
#include <functional>
#include <memory>

#include "bootstrap/miner_probe.hpp"
#include "bootstrap/service.hpp"
#include "common/net/session.hpp"

namespace coinnet::bootstrap {

class RequestHandler : public net::MessageHandler {
  public:
    RequestHandler(Service& service, Directory& directory, std::shared_ptr<MinerProbe> probe,
                   std::function<std::int64_t()> clock)
        : service_(service),
          directory_(directory),
          probe_(std::move(probe)),
          clock_(std::move(clock)) {}
    void on_message(net::Session& session, const wire::Envelope& envelope) override;

  private:
    void on_register_miner(net::Session& session, std::uint64_t request_id,
                           const wire::RegisterMiner& request);

    Service& service_;
    Directory& directory_;
    std::shared_ptr<MinerProbe> probe_;
    std::function<std::int64_t()> clock_;
};

}  // namespace coinnet::bootstrap
