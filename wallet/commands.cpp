#include "wallet/commands.hpp"

#include <spdlog/spdlog.h>

#include "common/encoding/address.hpp"
#include "common/net/dispatch.hpp"
#include "common/node/exit_codes.hpp"
#include "common/node/signed_messages.hpp"
#include "common/wallet/tx_builder.hpp"
#include "wallet/tx_view.hpp"
#include "wallet/typed_text.hpp"

namespace coinnet::wallet {

namespace {

Result<wire::Envelope> ask_miner(WalletContext& c, wire::Envelope request,
                                 wire::Envelope::BodyCase expected) {
    auto reply = c.link.call(request);
    if (!reply)
        return reply.error();
    if (reply->body_case() != expected)
        return fail("bad-reply", std::string("the miner answered with ") + net::body_name(*reply));
    return reply;
}

Result<std::vector<HistoryRow>> fetch_history(WalletContext& c) {
    wire::GetHistory request;
    request.set_address(c.identity.address);
    auto reply = ask_miner(c, net::make_envelope(std::move(request)), wire::Envelope::kHistory);
    if (!reply)
        return reply.error();
    // Names of new wallets may be needed; a bootstrap that is down only costs the names.
    bool unknown = false;
    for (const auto& e : reply->history().entries())
        for (const auto& a : e.counterparties())
            unknown = unknown || !c.names.name_of(a);
    if (unknown)
        (void)c.names.refresh();
    NameOf name_of = [&](const std::string& address) -> std::optional<std::string> {
        if (address == c.identity.address)
            return c.identity.name;
        return c.names.name_of(address);
    };
    return history_rows(reply->history(), name_of, c.faucet_txid);
}

struct Payee {
    Hash160 owner;
    std::string label;  // how the receipt names it
};

Result<Payee> resolve_payee(WalletContext& c, const std::string& to) {
    if (auto owner = decode_address(to)) {
        auto name = c.names.name_of(to);
        return Payee{*owner, name ? *name : to};
    }
    if (!is_valid_name(to)) {
        std::string why = "is neither a wallet name nor a valid address";
        if (auto odd = first_non_ascii(to))
            why += " (it holds " + *odd +
                   "; wallet names are ASCII letters, digits, '_' and '-', as registered)";
        return fail("bad-address", echo_word(to) + " " + why);
    }
    auto address = c.names.resolve(to);
    if (!address)
        return address.error();
    auto owner = decode_address(*address);
    if (!owner)
        return fail("bad-address",
                    "wallet " + to + " is registered with a bad address " + *address);
    return Payee{*owner, to};
}

}  // namespace

int exit_code_of(const Failure& failure) {
    if (failure.code == "usage")
        return kExitUsage;
    if (failure.code == "unreachable" || failure.code == "timeout" ||
        failure.code == "disconnected" || failure.code == "stopped")
        return kExitUnreachable;
    return kExitRefused;
}

Result<CoinView> fetch_coins(WalletContext& c) {
    wire::GetUtxos request;
    request.set_address(c.identity.address);
    auto reply = ask_miner(c, net::make_envelope(std::move(request)), wire::Envelope::kUtxos);
    if (!reply)
        return reply.error();
    return coin_view_from(reply->utxos());
}

Result<Balance> fetch_balance(WalletContext& c) {
    auto view = fetch_coins(c);
    if (!view)
        return view.error();
    return compute_balance(*view, c.network.params.coinbase_maturity);
}

Result<SendReceipt> send_payment(WalletContext& c, const std::string& to, Amount amount,
                                 Amount fee) {
    auto payee = resolve_payee(c, to);
    if (!payee)
        return payee.error();
    auto view = fetch_coins(c);
    if (!view)
        return view.error();
    auto coins = spendable_coins(*view, c.identity.owner, c.network.params.coinbase_maturity);
    auto tx = build_payment(coins, PaymentRequest{payee->owner, amount, fee}, c.identity.key);
    if (!tx) {
        if (tx.error().code != "insufficient-funds")
            return tx.error();
        Balance b = compute_balance(*view, c.network.params.coinbase_maturity);
        return fail("insufficient-funds", "cannot pay " + format_amount(amount) + " + fee " +
                                              format_amount(fee) + ": only " +
                                              format_amount(b.available) + " coins available");
    }
    auto submitted = c.link.submit(*tx);
    if (!submitted) {
        Failure f = submitted.error();
        if (exit_code_of(f) == kExitRefused)
            f.message = "miner " + c.link.miner_name() + " refused the payment: " + f.message;
        return f;
    }
    return SendReceipt{
        submitted->txid.hex(),           submitted->miner, "accepted", payee->label, amount, fee,
        payee->owner == c.identity.owner};
}

Result<Report> execute(WalletContext& c, const Command& command) {
    const std::uint32_t maturity = c.network.params.coinbase_maturity;
    switch (command.kind) {
        case CommandKind::kSend: {
            auto receipt = send_payment(c, command.to, command.amount, command.fee);
            if (!receipt)
                return receipt.error();
            return send_report(*receipt);
        }
        case CommandKind::kBalance: {
            auto balance = fetch_balance(c);
            if (!balance)
                return balance.error();
            return balance_report(*balance);
        }
        case CommandKind::kHistory: {
            auto rows = fetch_history(c);
            if (!rows)
                return rows.error();
            return history_report(*rows, command.limit);
        }
        case CommandKind::kUtxos: {
            auto view = fetch_coins(c);
            if (!view)
                return view.error();
            return utxos_report(*view, maturity);
        }
        case CommandKind::kAddress:
            return address_report(c.identity.name, c.identity.address);
        case CommandKind::kMiners: {
            auto miners = c.bootstrap.miners();
            if (!miners)
                return miners.error();
            return miners_report(*miners, c.link.miner_name());
        }
        case CommandKind::kWallets: {
            if (Status s = c.names.refresh(); !s) {
                // The names seen before still hold (a name never changes hands).
                if (c.names.wallets().empty())
                    return s.error();
                spdlog::warn("bootstrap unreachable ({}); wallets as last seen", s.error().message);
            }
            return wallets_report(c.names.wallets(), c.identity.name);
        }
        case CommandKind::kTx: {
            auto rows = fetch_history(c);
            if (!rows)
                return rows.error();
            return show_tx(c, *rows, command.txid);
        }
        case CommandKind::kHelp:
            return help_report();
        case CommandKind::kExit:
            return Report{};
    }
    return Report{};
}

}  // namespace coinnet::wallet
