import { describeFailover } from "../support/proxyFailover";

// Ports 43040–43049 belong to this file.
describeFailover("hot", [43040, 43041, 43042]);
