#include "wallet/interactive.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "common/primitives/amount.hpp"
#include "wallet/command_parser.hpp"
#include "wallet/commands.hpp"
#include "wallet/line_editor.hpp"
#include "wallet/output.hpp"

namespace coinnet::wallet {

namespace {

// The first word completes to a command; the payee of `send` to a wallet name.
LineEditor::Completer completer_for(WalletContext& context) {
    return [&context](const std::vector<std::string>& before) {
        std::vector<std::string> out;
        if (before.empty()) {
            for (const CommandInfo& c : command_table())
                out.push_back(c.name);
        } else if (before.size() == 1 && before[0] == "send") {
            context.names.refresh_if_older(std::chrono::seconds(10));
            for (const std::string& name : context.names.names())
                if (name != context.identity.name)
                    out.push_back(name);
        }
        return out;
    };
}

// Bytes waiting on stdin; 0 when a readable terminal has nothing to read (end of input).
int bytes_waiting() {
    int n = 0;
    if (::ioctl(STDIN_FILENO, FIONREAD, &n) != 0)
        return 0;
    return n;
}

class Prompt {
  public:
    Prompt(WalletContext& context, asio::io_context& io, LoopEvents& events, PushNarrator& narrator,
           const std::filesystem::path& history_file)
        : context_(context),
          io_(io),
          events_(events),
          narrator_(narrator),
          editor_(history_file, completer_for(context)),
          input_(io, ::dup(STDIN_FILENO)),
          signals_(io, SIGINT, SIGTERM, SIGHUP) {
        signals_.add(SIGWINCH);
    }

    int run() {
        refresh_prompt();
        editor_.start_line(prompt_);
        show_events(true);  // what arrived during start-up
        // Never printed from inside the link (its coroutine may be what a balance query
        // needs): from a handler of its own.
        events_.on_new([this] {
            if (show_posted_)
                return;
            show_posted_ = true;
            asio::post(io_, [this] {
                show_posted_ = false;
                if (!busy_ && !done_)
                    show_events(true);
            });
        });
        wait_for_input();
        wait_for_signal();
        while (!done_)
            io_.run_one();
        events_.on_new(nullptr);
        input_.cancel();
        signals_.cancel();
        std::cout << std::endl;
        return 0;
    }

  private:
    void wait_for_input() {
        input_.async_wait(asio::posix::stream_descriptor::wait_read, [this](error_code ec) {
            if (ec || done_)
                return;
            on_input();
            if (!done_)
                wait_for_input();
        });
    }

    void wait_for_signal() {
        signals_.async_wait([this](error_code ec, int signal) {
            if (ec)
                return;
            on_signal(signal);
            if (!done_)
                wait_for_signal();
        });
    }

    // Asio waits for readiness edge-triggered: everything waiting is taken before the next
    // wait, or typed-ahead keys would sit unread until the next key arrives.
    void on_input() {
        // Readable with nothing to read: the terminal hung up, or Ctrl-D was typed while a
        // command ran (the terminal is then in cooked mode and turns it into end of file).
        if (bytes_waiting() == 0) {
            done_ = true;
            return;
        }
        while (!done_ && bytes_waiting() > 0) {
            std::optional<std::string> line = editor_.feed();
            if (editor_.end_of_input()) {
                done_ = true;
                return;
            }
            if (line)
                run_line(*line);
        }
    }

    void on_signal(int signal) {
        if (signal == SIGWINCH) {
            editor_.resize();
        } else if (signal == SIGINT) {
            // As in a shell: the line being typed is abandoned and a fresh prompt shown. While
            // a command runs there is no line (the command is bounded by its timeouts).
            if (busy_)
                return;
            std::fputs("^C\n", stdout);
            std::fflush(stdout);
            editor_.start_line(prompt_, true);
        } else {
            done_ = true;
        }
    }

    void run_line(const std::string& line) {
        busy_ = true;
        auto words = split_words(line);
        if (!words.empty()) {
            editor_.add_to_history(line);
            auto command = parse_command(words);
            if (command && command->kind == CommandKind::kExit) {
                done_ = true;
                return;
            }
            Result<Report> outcome =
                command ? run_command(*command) : Result<Report>(command.error());
            if (outcome) {
                if (!outcome->text.empty())
                    std::cout << outcome->text << std::endl;
            } else {
                std::cout << error_line(outcome.error()) << std::endl;
            }
        }
        show_events(false);  // what arrived while the command ran, before the new prompt
        refresh_prompt();
        busy_ = false;
        editor_.start_line(prompt_);
        show_events(true);  // what arrived while the balance was asked (nothing else shows it)
    }

    // A payment goes through the narrator too, so its confirmation can name it later.
    Result<Report> run_command(const Command& command) {
        if (command.kind != CommandKind::kSend)
            return execute(context_, command);
        auto receipt = send_payment(context_, command.to, command.amount, command.fee);
        if (!receipt)
            return receipt.error();
        narrator_.note_sent(*receipt);
        return send_report(*receipt);
    }

    void refresh_prompt() {
        auto balance = fetch_balance(context_);
        prompt_ =
            context_.identity.name + " [" +
            (balance ? format_amount(balance->available) + " coins" : std::string("offline")) +
            "]> ";
    }

    // Prints queued events above the prompt, then redraws the prompt and what was typed. Between
    // a completed line and the next prompt there is no prompt to redraw (libedit would show
    // the finished line again).
    void show_events(bool prompt_shown) {
        std::vector<std::string> lines;
        bool balance_may_change = false;
        for (WalletEvent& e : events_.take()) {
            switch (e.kind) {
                case WalletEvent::Kind::kPush:
                    balance_may_change = true;
                    for (const NarratedLine& l : narrator_.describe(e.push))
                        lines.push_back("* " + l.text);
                    break;
                case WalletEvent::Kind::kNotice:
                    balance_may_change = true;
                    lines.push_back("* " + e.notice.text);
                    break;
                case WalletEvent::Kind::kLog:
                    lines.push_back(e.line);
                    break;
            }
        }
        if (!prompt_shown) {
            for (const std::string& l : lines)
                std::printf("%s\n", l.c_str());
            std::fflush(stdout);
            return;
        }
        if (lines.empty() && !balance_may_change)
            return;
        std::string old_prompt = prompt_;
        if (balance_may_change) {
            busy_ = true;  // the balance is asked of the miner: events wait meanwhile
            refresh_prompt();
            busy_ = false;
        }
        if (lines.empty() && prompt_ == old_prompt) {
            if (!events_.empty())
                show_events(true);
            return;
        }
        std::fputs("\r\033[K", stdout);
        for (const std::string& l : lines)
            std::printf("%s\n", l.c_str());
        std::fflush(stdout);
        editor_.redraw(prompt_);
        // Pushes that came while the balance was asked found the prompt busy: shown now.
        if (!events_.empty())
            show_events(true);
    }

    WalletContext& context_;
    asio::io_context& io_;
    LoopEvents& events_;
    PushNarrator& narrator_;
    LineEditor editor_;
    asio::posix::stream_descriptor input_;
    asio::signal_set signals_;
    std::string prompt_;
    bool busy_ = false;  // a command (or a balance query) runs: events wait, input is not read
    bool done_ = false;
    bool show_posted_ = false;
};

}  // namespace

int run_interactive(WalletContext& context, asio::io_context& io, LoopEvents& events,
                    PushNarrator& narrator, const std::filesystem::path& history_file) {
    std::cout << "wallet " << context.identity.name << " · address " << context.identity.address
              << " · miner " << context.link.miner_name() << "\n"
              << "type help for commands, exit or Ctrl-D to leave" << std::endl;
    return Prompt(context, io, events, narrator, history_file).run();
}

}  // namespace coinnet::wallet
