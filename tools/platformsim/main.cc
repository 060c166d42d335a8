// carepost-platformsim: runs platformsim as a process, for `make run` and for tests of
// the whole binary. Prints "platformsim listening on http://127.0.0.1:PORT" once
// bound, then serves until SIGINT or SIGTERM.
//
//   carepost-platformsim --port 0 --host 127.0.0.1
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "platformsim/platformsim.h"

int main(int argc, char** argv) {
  carepost::platformsim::Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--port" || arg == "--host") && i + 1 < argc) {
      if (arg == "--port") {
        const long port = std::strtol(argv[++i], nullptr, 10);
        if (port < 0 || port > 65535) {
          std::fprintf(stderr, "carepost-platformsim: --port must be 0-65535\n");
          return 2;
        }
        options.port = static_cast<uint16_t>(port);
      } else {
        options.host = argv[++i];
      }
    } else {
      std::fprintf(stderr, "usage: carepost-platformsim [--host 127.0.0.1] [--port N]\n");
      return 2;
    }
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  // Block before starting the server's threads so only sigwait sees them.
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto sim = carepost::platformsim::PlatformSim::Start(options);
  if (!sim.ok()) {
    std::fprintf(stderr, "carepost-platformsim: %s\n", std::string(sim.status().message()).c_str());
    return 1;
  }
  std::printf("platformsim listening on %s\n", (*sim)->base_url().c_str());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&signals, &sig);
  (*sim)->Stop();
  return 0;
}
