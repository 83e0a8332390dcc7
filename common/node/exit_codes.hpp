#pragma once
// Process exit codes shared by bootstrap, miner and wallet (SPEC §1).
namespace coinnet {

enum ExitCode : int {
    kExitOk = 0,
    kExitUsage = 1,        // bad flags or arguments, refused configuration
    kExitRefused = 2,      // the operation was refused (rejected tx, insufficient funds, ...)
    kExitUnreachable = 3,  // could not reach the network
};

}  // namespace coinnet
