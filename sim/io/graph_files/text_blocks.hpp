// A text file in large blocks, plain or gzip-compressed (told by its first bytes, not its name),
// read and decompressed by a thread of its own while the caller parses the previous block, with
// the file's raw bytes hashed (SHA-256) on the way, so nothing reads the file twice.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace reachsim {

class TextBlocks {
  public:
    // Opens `path` and starts reading. Throws input_error if it cannot be opened.
    explicit TextBlocks(const std::string& path);
    ~TextBlocks();
    TextBlocks(const TextBlocks&) = delete;
    TextBlocks& operator=(const TextBlocks&) = delete;

    // Replaces `block` by the next block of text (its memory is reused); false at the end of the
    // text. Throws std::runtime_error with the reader's message if the file could not be read
    // whole (a truncated or damaged gzip stream, a read error): the caller adds where it was.
    bool next(std::vector<char>& block);

    // The file's size and how much of it has been read so far (raw bytes, compressed or not).
    [[nodiscard]] std::uint64_t file_bytes() const { return file_bytes_; }
    [[nodiscard]] std::uint64_t bytes_read() const;

    // The hex SHA-256 of the file's bytes; only once next() has returned false.
    [[nodiscard]] const std::string& sha256() const { return sha256_; }

  private:
    void read_all();  // the reading thread
    // Hands a full block to the parser; false if the parser has gone (stop requested).
    bool hand_over(std::vector<char>& block);
    [[nodiscard]] std::vector<char> spare_block();

    std::string path_;
    std::FILE* file_ = nullptr;
    std::uint64_t file_bytes_ = 0;
    std::string sha256_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::vector<char>> full_;  // blocks read, in order
    std::vector<std::vector<char>> spare_;
    bool finished_ = false;  // the reader has handed over its last block
    bool stop_ = false;      // the parser has gone
    std::string error_;      // why the reader stopped early, if it did
    std::uint64_t bytes_read_ = 0;
    std::thread reader_;
};

}  // namespace reachsim
