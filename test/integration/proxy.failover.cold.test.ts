import { describeFailover } from "../support/proxyFailover";

// Ports 23020–23029 belong to this file.
describeFailover("cold", [23020, 23021, 23022]);
