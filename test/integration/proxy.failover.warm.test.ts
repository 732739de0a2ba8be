import { describeFailover } from "../support/proxyFailover";

// Ports 23030–23039 belong to this file.
describeFailover("warm", [23030, 23031, 23032]);
