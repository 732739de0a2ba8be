import { describeFailover } from "../support/proxyFailover";

// Ports 23040–23049 belong to this file.
describeFailover("hot", [23040, 23041, 23042]);
