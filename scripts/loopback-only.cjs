// Preloaded into Microsoft 365 Agents Playground (`node --require`): it listens on every
// interface and has no option to choose one, so a listen() without a host is bound to 127.0.0.1.
"use strict";
const net = require("node:net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number" && (args.length === 1 || typeof args[1] === "function"))
    args.splice(1, 0, "127.0.0.1");
  else if (args[0] && typeof args[0] === "object" && !("path" in args[0]) && !args[0].host)
    args[0] = { ...args[0], host: "127.0.0.1" };
  return listen.apply(this, args);
};
