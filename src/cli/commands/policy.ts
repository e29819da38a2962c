import { type CliCommand, EXIT } from "../io.js";

// Placeholder until the owning issue lands this command.
const command: CliCommand = async (_argv, io) => {
  io.stderr("attest policy: not built yet\n");
  return EXIT.error;
};
export default command;
