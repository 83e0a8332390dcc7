#pragma once
// Connects the socket layer to the bootstrap's Service: every session's requests are handled
// on the io thread (the bootstrap's single owner) and answered with the request id echoed.
#include <functional>
#include <memory>

#include "bootstrap/service.hpp"
#include "common/net/session.hpp"

namespace coinnet::bootstrap {

class RequestHandler : public net::MessageHandler {
  public:
    RequestHandler(Service& service, std::function<std::int64_t()> clock)
        : service_(service), clock_(std::move(clock)) {}
    void on_message(net::Session& session, const wire::Envelope& envelope) override;

  private:
    Service& service_;
    std::function<std::int64_t()> clock_;
};

}  // namespace coinnet::bootstrap
