#include "wallet/line_editor.hpp"

// clang-format off
#include <cstdio>
#include <editline/readline.h>
// clang-format on

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "wallet/command_parser.hpp"

namespace coinnet::wallet {

namespace {

// libedit's callbacks are plain functions: they reach the editor's state through these.
std::optional<std::string> g_line;  // a completed line, taken by feed()
bool g_eof = false;
LineEditor::Completer g_completer;
std::vector<std::string> g_candidates;

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

// The words before the one being completed. rl_copy_text returns one character fewer than
// asked, here the blank before the word, which changes no word.
std::vector<std::string> words_before(int start) {
    if (start <= 0)
        return {};
    char* text = rl_copy_text(0, start);
    if (!text)
        return {};
    auto words = split_words(text);
    std::free(text);
    return words;
}

char** complete(const char* text, int start, int) {
    rl_attempted_completion_over = 1;  // never fall back to file names
    g_candidates = g_completer ? g_completer(words_before(start)) : std::vector<std::string>{};
    if (g_candidates.empty())
        return nullptr;
    return rl_completion_matches(text, next_candidate);
}

// A wallet command is short; longer history lines (pasted junk) are not loaded.
constexpr std::size_t kMaxHistoryLine = 1000;

void drop_long_history_lines() {
    for (int i = history_length - 1; i >= 0; --i) {
        HIST_ENTRY* entry = history_get(history_base + i);
        if (entry && entry->line && std::strlen(entry->line) > kMaxHistoryLine)
            if (HIST_ENTRY* removed = remove_history(i))
                free_history_entry(removed);
    }
}

// No numeric argument (ESC 1 2 x inserts twelve x): one key must not grow the line by more
// than LineEditor::feed() provides for.
void bind_keys() {
    for (char digit = '0'; digit <= '9'; ++digit)
        (void)rl_parse_and_bind((std::string("bind ^[") + digit + " ed-unassigned").c_str());
}

}  // namespace

LineEditor::LineEditor(std::filesystem::path history_file, Completer completer)
    : history_file_(std::move(history_file)) {
    g_completer = std::move(completer);
    rl_readline_name = "coinnet-wallet";
    rl_attempted_completion_function = complete;
    // Signals are the event loop's (Ctrl-C clears the line, SIGWINCH resizes): libedit must
    // not install handlers of its own.
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    using_history();  // initialises libedit
    bind_keys();
    (void)read_history(history_file_.c_str());
    drop_long_history_lines();
}

LineEditor::~LineEditor() {
    rl_callback_handler_remove();
    (void)write_history(history_file_.c_str());
    g_completer = nullptr;
}

void LineEditor::start_line(const std::string& prompt, bool abandon) {
    g_line.reset();
    // Installing draws the prompt at once; removing first also empties a line being typed.
    if (abandon)
        rl_callback_handler_remove();
    rl_callback_handler_install(prompt.c_str(), on_line);
}

// DANGER, the heap corruption of issue 13 (found with valgrind; ASan cannot see it, libedit
// is not instrumented): libedit's readline layer (3.1-20221030) takes rl_line_buffer once,
// from its 1 KiB multibyte conversion buffer, and after every key writes a NUL at
// rl_line_buffer[rl_end]. Once a line is longer than that buffer (a long history line recalled
// with arrow-up), the NUL lands kilobytes past its end, or in it after el_gets reallocated it.
// So rl_line_buffer points at a buffer of ours, always longer than any line one key can make:
// a character, a yank (at most the longest line so far), a history line, a completion.
std::optional<std::string> LineEditor::feed() {
    const std::size_t longest = std::max(longest_line_, longest_history_line());
    const std::size_t needed = 2 * longest + 65536;
    if (line_buffer_.size() < needed)
        line_buffer_.assign(needed, '\0');
    rl_line_buffer = line_buffer_.data();
    rl_callback_read_char();
    longest_line_ = std::max(longest_line_, static_cast<std::size_t>(std::max(rl_end, 0)));
    return std::exchange(g_line, std::nullopt);
}

std::size_t LineEditor::longest_history_line() const {
    return std::max(kMaxHistoryLine, longest_line_);
}

bool LineEditor::end_of_input() const {
    return g_eof;
}

void LineEditor::redraw(const std::string& prompt) {
    rl_set_prompt(prompt.c_str());
    rl_forced_update_display();
}

void LineEditor::add_to_history(const std::string& line) {
    add_history(line.c_str());
}

void LineEditor::resize() {
    rl_resize_terminal();
}

}  // namespace coinnet::wallet
