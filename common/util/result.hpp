#pragma once
// Results are values: an operation either produces T or a Failure carrying a typed reason
// (common/util/reasons.hpp: its stable wire code is sent back to peers in Error messages) and a
// human message. Exceptions are reserved for what truly cannot continue.
#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "common/util/reasons.hpp"

namespace coinnet {

struct Failure {
    Reason reason;
    std::string message;  // for humans
    // Set only for NetReason::kUnknownCode: the code as received, shown verbatim.
    std::string received_code = {};

    // The stable wire code, e.g. "bad-txns-inputs-duplicate".
    std::string code() const {
        if (reason == NetReason::kUnknownCode && !received_code.empty())
            return received_code;
        return std::string(wire_code(reason));
    }
    ReasonKind kind() const { return kind_of(reason); }
};

inline bool is_network_failure(const Failure& failure) {
    return is_network_failure(failure.reason);
}

template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : state_(std::move(value)) {}            // NOLINT: implicit by design
    Result(Failure failure) : state_(std::move(failure)) {}  // NOLINT
    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T& value() const& {
        assert(ok());
        return std::get<0>(state_);
    }
    T& value() & {
        assert(ok());
        return std::get<0>(state_);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(state_));
    }
    const T& operator*() const& { return value(); }
    T& operator*() & { return value(); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }
    const Failure& error() const {
        assert(!ok());
        return std::get<1>(state_);
    }

  private:
    std::variant<T, Failure> state_;
};

// Success-or-failure without a value.
class [[nodiscard]] Status {
  public:
    Status() = default;
    Status(Failure failure) : failure_(std::move(failure)) {}  // NOLINT
    static Status success() { return {}; }
    bool ok() const { return !failure_; }
    explicit operator bool() const { return ok(); }
    const Failure& error() const {
        assert(!ok());
        return *failure_;
    }

  private:
    std::optional<Failure> failure_;
};

inline Failure fail(Reason reason, std::string message) {
    return Failure{reason, std::move(message)};
}

// The same reason (and received code) with a message that says more.
inline Failure fail(const Failure& cause, std::string message) {
    Failure out = cause;
    out.message = std::move(message);
    return out;
}

// A failure received as a wire code (an Error from a peer): the reason with that code, or
// NetReason::kUnknownCode keeping `code` so a newer peer's refusal is still shown as sent.
inline Failure failure_from_wire(const std::string& code, std::string message) {
    if (auto reason = reason_from_code(code))
        return Failure{*reason, std::move(message)};
    return Failure{NetReason::kUnknownCode, std::move(message), code};
}

}  // namespace coinnet
