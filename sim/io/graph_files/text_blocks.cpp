#include "graph_files/text_blocks.hpp"

#include <openssl/evp.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "core/errors.hpp"

namespace reachsim {
namespace {

constexpr std::size_t raw_chunk_bytes = std::size_t{1} << 20;
constexpr std::size_t least_chunk_bytes = std::size_t{1} << 12;
constexpr std::size_t text_block_bytes = std::size_t{4} << 20;
constexpr std::size_t blocks_in_flight = 8;  // read ahead of the parser, at most

bool starts_gzip(const unsigned char* bytes, std::size_t size) {
    return size >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

std::string hex(const unsigned char* digest, unsigned int length) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < length; ++i) {
        text += digits[digest[i] >> 4];
        text += digits[digest[i] & 15];
    }
    return text;
}

}  // namespace

TextBlocks::TextBlocks(const std::string& path) : path_(path) {
    file_ = std::fopen(path.c_str(), "rb");
    if (file_ == nullptr || std::filesystem::is_directory(path)) {
        if (file_ != nullptr) {
            std::fclose(file_);
        }
        throw input_error({path, 0}, "", "cannot open the edge list");
    }
    std::error_code size_error;
    file_bytes_ = static_cast<std::uint64_t>(std::filesystem::file_size(path, size_error));
    if (size_error) {
        file_bytes_ = 0;
    }
    reader_ = std::thread([this] { read_all(); });
}

TextBlocks::~TextBlocks() {
    {
        const std::lock_guard lock(mutex_);
        stop_ = true;
    }
    changed_.notify_all();
    reader_.join();
    std::fclose(file_);
}

std::uint64_t TextBlocks::bytes_read() const {
    const std::lock_guard lock(mutex_);
    return bytes_read_;
}

bool TextBlocks::next(std::vector<char>& block) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !full_.empty() || finished_; });
    if (full_.empty()) {
        if (!error_.empty()) {
            throw std::runtime_error(error_);
        }
        return false;
    }
    std::vector<char> incoming = std::move(full_.front());
    full_.pop_front();
    spare_.push_back(std::move(block));  // the caller's previous block, for the reader to reuse
    block = std::move(incoming);
    lock.unlock();
    changed_.notify_all();
    return true;
}

std::vector<char> TextBlocks::spare_block() {
    const std::lock_guard lock(mutex_);
    std::vector<char> block;
    if (!spare_.empty()) {
        block = std::move(spare_.back());
        spare_.pop_back();
    }
    block.clear();
    return block;
}

bool TextBlocks::hand_over(std::vector<char>& block) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return full_.size() < blocks_in_flight || stop_; });
    if (stop_) {
        return false;
    }
    full_.push_back(std::move(block));
    lock.unlock();
    changed_.notify_all();
    block = spare_block();
    return true;
}

void TextBlocks::read_all() {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> digest(EVP_MD_CTX_new(),
                                                                   EVP_MD_CTX_free);
    EVP_DigestInit_ex(digest.get(), EVP_sha256(), nullptr);
    z_stream inflater{};
    bool gzip = false;
    bool member_ended = false;  // a gzip member ended and no other has begun
    std::string error;
    bool stopped = false;  // the parser has gone
    // A small file needs no megabyte of buffer (the fuzzer reads thousands of them).
    std::vector<unsigned char> raw(
        std::clamp<std::size_t>(file_bytes_ + 1, least_chunk_bytes, raw_chunk_bytes));
    std::vector<char> inflated;  // gzip: what one call of inflate gives
    std::vector<char> block = spare_block();
    bool first_chunk = true;
    while (error.empty() && !stopped) {
        const std::size_t got = std::fread(raw.data(), 1, raw.size(), file_);
        if (got == 0) {
            if (std::ferror(file_)) {
                error = "read error";
            } else if (gzip && !member_ended) {
                error = "read error (a truncated or damaged file?): unexpected end of file";
            }
            break;
        }
        EVP_DigestUpdate(digest.get(), raw.data(), got);
        {
            const std::lock_guard lock(mutex_);
            bytes_read_ += got;
        }
        if (first_chunk) {
            first_chunk = false;
            gzip = starts_gzip(raw.data(), got);
            if (gzip) {
                inflated.resize(raw_chunk_bytes);
            }
            if (gzip && inflateInit2(&inflater, 15 + 16) != Z_OK) {
                error = "cannot start decompressing";
                break;
            }
        }
        if (!gzip) {
            block.insert(block.end(), raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(got));
            stopped = block.size() >= text_block_bytes && !hand_over(block);
            if (stopped) {
                break;
            }
            continue;
        }
        inflater.next_in = raw.data();
        inflater.avail_in = static_cast<uInt>(got);
        while (error.empty()) {
            if (member_ended) {
                if (inflater.avail_in == 0) {
                    break;
                }
                // Another member may follow (concatenated gzip files); anything else is damage.
                if (!starts_gzip(inflater.next_in, inflater.avail_in) && inflater.avail_in >= 2) {
                    error = "unexpected bytes after the end of the gzip stream";
                    break;
                }
                inflateReset(&inflater);
                member_ended = false;
            }
            inflater.next_out = reinterpret_cast<Bytef*>(inflated.data());
            inflater.avail_out = static_cast<uInt>(inflated.size());
            const int status = inflate(&inflater, Z_NO_FLUSH);
            const bool output_full = inflater.avail_out == 0;  // zlib may hold more
            block.insert(block.end(), inflated.begin(),
                         inflated.end() - static_cast<std::ptrdiff_t>(inflater.avail_out));
            if (status == Z_STREAM_END) {
                member_ended = true;
            } else if (status != Z_OK && status != Z_BUF_ERROR) {
                error = std::string("read error (a truncated or damaged file?): ") +
                        (inflater.msg != nullptr ? inflater.msg : "damaged data");
            }
            stopped = block.size() >= text_block_bytes && !hand_over(block);
            if (stopped || (inflater.avail_in == 0 && !output_full)) {
                break;
            }
        }
    }
    if (gzip) {
        inflateEnd(&inflater);
    }
    if (error.empty() && !stopped && !block.empty()) {
        hand_over(block);
    }
    unsigned char hash[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(digest.get(), hash, &length);
    {
        const std::lock_guard lock(mutex_);
        sha256_ = hex(hash, length);
        error_ = error;
        finished_ = true;
    }
    changed_.notify_all();
}

}  // namespace reachsim
