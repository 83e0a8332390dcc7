#pragma once
// libedit, driven through readline's callback interface by the interactive wallet's event
// loop: one character at a time as stdin becomes readable, a completed line handed back,
// the prompt redrawn after something was printed above it. libedit keeps global state, so
// there is one LineEditor per process.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace coinnet::wallet {

class LineEditor {
  public:
    // Candidates for the word being completed, given the words before it.
    using Completer = std::function<std::vector<std::string>(const std::vector<std::string>&)>;

    LineEditor(std::filesystem::path history_file, Completer completer);
    ~LineEditor();  // restores the terminal and saves the history
    LineEditor(const LineEditor&) = delete;
    LineEditor& operator=(const LineEditor&) = delete;

    // Shows `prompt` and starts a fresh line; `abandon` drops the line being typed (Ctrl-C).
    void start_line(const std::string& prompt, bool abandon = false);
    // Reads one character from stdin (which must be readable). Returns the line once Enter
    // completes it; sets end_of_input() on Ctrl-D at an empty line.
    std::optional<std::string> feed();
    bool end_of_input() const;
    // After lines were printed above it: draws the prompt (possibly a new one) and the line.
    void redraw(const std::string& prompt);
    void add_to_history(const std::string& line);
    // The terminal was resized.
    void resize();

  private:
    std::size_t longest_history_line() const;

    std::filesystem::path history_file_;
    std::vector<char> line_buffer_;  // what rl_line_buffer points at (see feed())
    std::size_t longest_line_ = 0;
};

}  // namespace coinnet::wallet
