import { describeFailover } from "../support/proxyFailover";

// Ports 43030–43039 belong to this file.
describeFailover("warm", [43030, 43031, 43032]);
