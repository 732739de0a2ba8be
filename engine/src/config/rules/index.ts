import { RM001 } from "./RM001-wellFormed";
import { RM002 } from "./RM002-structure";
import { RM003 } from "./RM003-valueType";
import { RM010 } from "./RM010-aliasCharacters";
import { RM011 } from "./RM011-uniqueName";
import { RM012 } from "./RM012-uniquePort";
import { RM013 } from "./RM013-metricsPort";
import { RM020 } from "./RM020-noDataChangePeriod";
import { RM021 } from "./RM021-specificValueData";
import { RM022 } from "./RM022-failureCount";
import { RM023 } from "./RM023-badQualityData";
import { RM030 } from "./RM030-coldReconnect";
import { RM031 } from "./RM031-statusTimeout";
import { RM040 } from "./RM040-maxEvents";
import { RM050 } from "./RM050-notificationsComplete";
import { RM051 } from "./RM051-emailAddress";
import { RM060 } from "./RM060-nodeId";
import { RM061 } from "./RM061-liveItem";
import { RM070 } from "./RM070-sameEndpoint";
import { RM071 } from "./RM071-unsecuredNetworkEndpoint";
import type { Rule } from "./rule";

/** Every rule, in code order. Codes are stable: add new ones, never reuse one. */
export const RULES: readonly Rule[] = [RM001, RM002, RM003, RM010, RM011, RM012, RM013, RM020, RM021, RM022, RM023, RM030, RM031, RM040, RM050, RM051, RM060, RM061, RM070, RM071];

export function ruleFor(code: string): Rule | undefined {
  return RULES.find((r) => r.code === code);
}
