import { m } from '#lib/paraglide/messages.js';
import type { RectificationPlan } from './contract.ts';

/**
 * The six parts of a major hazard's rectification plan (治理方案, RULES.md), in the order of
 * the 2007 regulation. Shared by the office console and the enterprise's page: this module
 * and the plan components import nothing else of the console.
 */
export interface PlanPart {
  key: keyof RectificationPlan;
  label: () => string;
}

export const planParts: PlanPart[] = [
  { key: 'goalAndTasks', label: m.hz_plan_goal_and_tasks },
  { key: 'methodsAndMeasures', label: m.hz_plan_methods_and_measures },
  { key: 'fundsAndMaterials', label: m.hz_plan_funds_and_materials },
  { key: 'responsibleBodyAndPeople', label: m.hz_plan_responsible_body_and_people },
  { key: 'deadlineAndRequirements', label: m.hz_plan_deadline_and_requirements },
  { key: 'safetyAndEmergencyMeasures', label: m.hz_plan_safety_and_emergency_measures },
];

export const emptyPlan = (): RectificationPlan => ({
  goalAndTasks: '',
  methodsAndMeasures: '',
  fundsAndMaterials: '',
  responsibleBodyAndPeople: '',
  deadlineAndRequirements: '',
  safetyAndEmergencyMeasures: '',
});
