#include "wallet/interactive.hpp"

// clang-format off
#include <cstdio>
#include <editline/readline.h>
// clang-format on
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "common/primitives/amount.hpp"
#include "wallet/command_parser.hpp"
#include "wallet/commands.hpp"

namespace coinnet::wallet {

namespace {

// libedit's callbacks are plain functions: they reach the session through these.
std::optional<std::string> g_line;  // a completed line, taken by the main loop
bool g_eof = false;
std::vector<std::string> g_candidates;
WalletContext* g_context = nullptr;

void on_line(char* line) {
    if (!line) {
        g_eof = true;
        return;
    }
    g_line = line;
    std::free(line);
}

char* next_candidate(const char* text, int state) {
    static std::size_t index;
    if (state == 0)
        index = 0;
    const std::size_t length = std::strlen(text);
    while (index < g_candidates.size()) {
        const std::string& c = g_candidates[index++];
        if (c.compare(0, length, text) == 0)
            return ::strdup(c.c_str());
    }
    return nullptr;
}

// The first word completes to a command; the payee of `send` to a wallet name.
char** complete(const char* text, int start, int) {
    rl_attempted_completion_over = 1;  // never fall back to file names
    auto before = split_words(std::string_view(rl_line_buffer, static_cast<std::size_t>(start)));
    g_candidates.clear();
    if (before.empty()) {
        for (const CommandInfo& c : command_table())
            g_candidates.push_back(c.name);
    } else if (before.size() == 1 && before[0] == "send" && g_context) {
        g_context->names.refresh_if_older(std::chrono::seconds(10));
        for (const std::string& name : g_context->names.names())
            if (name != g_context->identity.name)
                g_candidates.push_back(name);
    } else {
        return nullptr;
    }
    return rl_completion_matches(text, next_candidate);
}

class PromptLoop {
  public:
    PromptLoop(WalletContext& context, EventQueue& events, PushNarrator& narrator, int stop_fd)
        : context_(context), events_(events), narrator_(narrator), stop_fd_(stop_fd) {}

    int run() {
        refresh_prompt();
        rl_callback_handler_install(prompt_.c_str(), on_line);
        bool stop = false;
        while (!stop && !g_eof) {
            pollfd fds[3] = {
                {STDIN_FILENO, POLLIN, 0}, {events_.fd(), POLLIN, 0}, {stop_fd_, POLLIN, 0}};
            if (::poll(fds, 3, -1) < 0) {
                if (errno == EINTR)
                    continue;
                break;
            }
            if (fds[2].revents)
                break;  // Ctrl-C or SIGTERM
            if (fds[1].revents)
                show_events(true);
            if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                rl_callback_read_char();
                if (g_line)
                    stop = run_line();
            }
        }
        rl_callback_handler_remove();
        std::cout << std::endl;
        return 0;
    }

  private:
    // Runs a completed line; true when it asks to leave.
    bool run_line() {
        std::string line = std::move(*g_line);
        g_line.reset();
        auto words = split_words(line);
        if (!words.empty()) {
            add_history(line.c_str());
            auto command = parse_command(words);
            if (command && command->kind == CommandKind::kExit)
                return true;
            Result<Report> outcome =
                command ? run_command(*command) : Result<Report>(command.error());
            if (outcome) {
                if (!outcome->text.empty())
                    std::cout << outcome->text << std::endl;
            } else {
                std::cout << "error: " << outcome.error().message << " (" << outcome.error().code
                          << ")" << std::endl;
            }
        }
        show_events(false);  // what arrived while the command ran, before the new prompt
        refresh_prompt();
        // Reinstalling draws the new prompt at once (libedit's callback mode would otherwise
        // wait for the next key, and read the next line in blocking mode).
        rl_callback_handler_install(prompt_.c_str(), on_line);
        return false;
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
        for (WalletEvent& e : events_.drain()) {
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
        if (balance_may_change)
            refresh_prompt();
        if (lines.empty() && prompt_ == old_prompt)
            return;
        std::fputs("\r\033[K", stdout);
        for (const std::string& l : lines)
            std::printf("%s\n", l.c_str());
        std::fflush(stdout);
        if (prompt_ != old_prompt)
            rl_set_prompt(prompt_.c_str());
        rl_forced_update_display();
    }

    WalletContext& context_;
    EventQueue& events_;
    PushNarrator& narrator_;
    int stop_fd_;
    std::string prompt_;
};

}  // namespace

int run_interactive(WalletContext& context, EventQueue& events, PushNarrator& narrator, int stop_fd,
                    const std::filesystem::path& history_file) {
    g_context = &context;
    rl_readline_name = "coinnet-wallet";
    rl_attempted_completion_function = complete;
    using_history();
    (void)read_history(history_file.c_str());
    std::cout << "wallet " << context.identity.name << " · address " << context.identity.address
              << " · miner " << context.link.miner_name() << "\n"
              << "type help for commands, exit or Ctrl-D to leave" << std::endl;
    int code = PromptLoop(context, events, narrator, stop_fd).run();
    (void)write_history(history_file.c_str());
    g_context = nullptr;
    return code;
}

}  // namespace coinnet::wallet
