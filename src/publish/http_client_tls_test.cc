// HttpClient over TLS against a loopback TLS peer whose certificate the test makes
// with the openssl command: the certificate is checked against the trusted CAs and the
// host name, and a peer that fails either check is never sent the request.
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "publish/http_client.h"

namespace carepost::publish {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

// A self-signed certificate for DNS:localhost (and no IP address), made once.
class Certificate {
 public:
  static const Certificate& Get() {
    static const Certificate kCert;  // its files are removed at exit
    return kCert;
  }
  ~Certificate() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  bool ok() const { return ok_; }
  std::string cert_file() const { return (dir_ / "cert.pem").string(); }
  std::string key_file() const { return (dir_ / "key.pem").string(); }

 private:
  Certificate() {
    dir_ = std::filesystem::temp_directory_path() /
           ("carepost-tls-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    const std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=localhost -addext subjectAltName=DNS:localhost -keyout '" +
        key_file() + "' -out '" + cert_file() + "' >/dev/null 2>&1";
    ok_ = std::system(cmd.c_str()) == 0;
  }
  std::filesystem::path dir_;
  bool ok_ = false;
};

// Serves one TLS connection on 127.0.0.1: handshake, read the request, answer 200
// with a body naming the server name the client sent (SNI).
class TlsPeer {
 public:
  TlsPeer()
      : tls_(ssl::context::tls_server),
        acceptor_(ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
    tls_.use_certificate_chain_file(Certificate::Get().cert_file());
    tls_.use_private_key_file(Certificate::Get().key_file(), ssl::context::pem);
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] {
      boost::system::error_code ec;
      tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (ec) return;
      ssl::stream<tcp::socket> stream(std::move(socket), tls_);
      stream.handshake(ssl::stream_base::server, ec);
      if (ec) return;  // the client refused the certificate
      const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
      std::string request;
      char buf[1024];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const size_t n = stream.read_some(net::buffer(buf), ec);
        if (ec) return;
        request.append(buf, n);
      }
      got_request_ = true;
      const std::string body = sni == nullptr ? "no-sni" : sni;
      const std::string res =
          "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
      net::write(stream, net::buffer(res), ec);
      stream.shutdown(ec);
    });
  }
  ~TlsPeer() { Finish(); }
  uint16_t port() const { return port_; }
  // Waits for the connection to end; true when a complete request arrived.
  bool Finish() {
    if (thread_.joinable()) thread_.join();
    return got_request_;
  }

 private:
  net::io_context ioc_;
  ssl::context tls_;
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::thread thread_;
  bool got_request_ = false;  // written by thread_; read after it joins
};

std::unique_ptr<HttpClient> Client(std::string extra_ca) {
  auto client = NewHttpClient({.connect_timeout = absl::Seconds(5),
                               .read_timeout = absl::Seconds(5),
                               .extra_ca_file = std::move(extra_ca)});
  EXPECT_TRUE(client.ok()) << client.status();
  return std::move(*client);
}

TEST(HttpClientTlsTest, TrustedCertificateForTheHostWorksAndSendsSni) {
  ASSERT_TRUE(Certificate::Get().ok()) << "the openssl command could not make a certificate";
  TlsPeer peer;
  auto res = Client(Certificate::Get().cert_file())
                 ->Send({.method = "GET",
                         .url = "https://localhost:" + std::to_string(peer.port()) + "/x"});
  ASSERT_TRUE(res.ok()) << res.status();
  EXPECT_TRUE(peer.Finish());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "localhost");
}

TEST(HttpClientTlsTest, UntrustedCertificateIsRefusedBeforeSending) {
  ASSERT_TRUE(Certificate::Get().ok());
  TlsPeer peer;
  // Only the system store: the self-signed certificate is not trusted.
  auto res = Client("")->Send(
      {.method = "POST", .url = "https://localhost:" + std::to_string(peer.port()) + "/x"});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), absl::StatusCode::kUnavailable) << res.status();
  EXPECT_NE(res.status().message().find("TLS handshake"), absl::string_view::npos);
  EXPECT_FALSE(RequestMayHaveBeenSent(res.status()));
  EXPECT_FALSE(peer.Finish()) << "the request must not reach an untrusted peer";
}

TEST(HttpClientTlsTest, CertificateForAnotherHostIsRefused) {
  ASSERT_TRUE(Certificate::Get().ok());
  TlsPeer peer;
  // The certificate names localhost, not 127.0.0.1.
  auto res = Client(Certificate::Get().cert_file())
                 ->Send({.method = "POST",
                         .url = "https://127.0.0.1:" + std::to_string(peer.port()) + "/x"});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), absl::StatusCode::kUnavailable) << res.status();
  EXPECT_FALSE(RequestMayHaveBeenSent(res.status()));
  EXPECT_FALSE(peer.Finish());
}

}  // namespace
}  // namespace carepost::publish
