import { DataType, EventNotifierFlags, VariantArrayType, type Namespace, type UAObject, type UAVariable } from "node-opcua";
import { SimNodes } from "./simServer";

export type AddVariable = (name: string, dataType: DataType, value: unknown, arrayType: VariantArrayType, parent: UAObject) => UAVariable;

/** Conditions need the address space's A&C services (ConditionRefresh, Acknowledge …), which OPCUAServer leaves out. */
export function addTank(namespace: Namespace, folder: UAObject, add: AddVariable): void {
  const addressSpace = namespace.addressSpace;
  addressSpace.installAlarmsAndConditionsService();
  const tank = namespace.addObject({
    componentOf: folder,
    browseName: "Tank",
    nodeId: "s=Tank",
    eventNotifier: EventNotifierFlags.SubscribeToEvents,
    eventSourceOf: addressSpace.rootFolder.objects.server,
  });
  const level = add(SimNodes.level, DataType.Double, 50, VariantArrayType.Scalar, tank);
  const alarm = namespace.instantiateExclusiveLimitAlarm("ExclusiveLimitAlarmType", {
    componentOf: tank,
    conditionSource: tank,
    browseName: "LevelAlarm",
    nodeId: `s=${SimNodes.levelAlarm}`,
    inputNode: level,
    highHighLimit: 90,
    highLimit: 80,
    lowLimit: 10,
    lowLowLimit: 5,
  });
  alarm.setEnabledState(true);
}
