import { describeFailover } from "../support/proxyFailover";

// Ports 43020–43029 belong to this file.
describeFailover("cold", [43020, 43021, 43022]);
