#pragma once
// The one place that includes Boost.Asio. Debian 12 ships Boost 1.74, whose Asio fails to
// compile under g++ 12 in C++20 mode unless <utility> is seen first (upstream bug, fixed in
// later Asio releases). Every other file includes Asio through this header.
//
// Boost 1.74 has awaitable, co_spawn, use_awaitable, redirect_error and this_coro, but not
// as_tuple, experimental channels or the awaitable && / || operators; the session code is
// written with timers as signals (Asio's chat_server pattern) for that reason.
//
// g++ 12 coroutine bug, checked with AddressSanitizer: a lambda or a braced aggregate created
// as a temporary inside a co_await expression, e.g.
//     co_await asio::co_spawn(ex, [s = std::string(...)] { ... }, asio::use_awaitable);
//     co_await f(Aggregate{...});
// is copied bitwise, so its strings and shared_ptrs are freed twice. In coroutine bodies,
// name such objects first (`auto fn = [..]{..}; co_await co_spawn(ex, std::move(fn), ..)`).
//
// clang 14 (the fuzz build, scripts/fuzz) with libstdc++ has C++20 coroutines, but Boost
// 1.74 enables co_await on clang only with libc++'s <experimental/coroutine>; it already
// picks std::coroutine (BOOST_ASIO_HAS_STD_COROUTINE) there, so co_await is told it may too.
#if defined(__clang__) && !defined(BOOST_ASIO_HAS_CO_AWAIT) && __cpp_impl_coroutine >= 201902
#define BOOST_ASIO_HAS_CO_AWAIT 1
#endif
// clang-format off
#include <utility>
#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
// clang-format on

namespace coinnet {

namespace asio = boost::asio;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;

}  // namespace coinnet
