#pragma once
// Results are values: an operation either produces T or a Failure carrying a stable,
// machine-readable code (sent back to peers in wire Error messages) and a human message.
// Exceptions are reserved for what truly cannot continue.
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace coinnet {

struct Failure {
    std::string code;     // stable, e.g. "bad-txns-inputs-duplicate"
    std::string message;  // for humans
};

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
    Status(Failure failure) : failure_(std::move(failure)), ok_(false) {}  // NOLINT
    static Status success() { return {}; }
    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Failure& error() const {
        assert(!ok_);
        return failure_;
    }

  private:
    Failure failure_;
    bool ok_ = true;
};

inline Failure fail(std::string code, std::string message) {
    return Failure{std::move(code), std::move(message)};
}

}  // namespace coinnet
