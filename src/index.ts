export * from './mesh-service';
export * from './workload';
export * from './health-probe';
export * from './names';
export * from './synth';
export * from './validation';
