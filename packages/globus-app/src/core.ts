/**
 * `globus-app/core`: the platform-free core — apps, config, scopes, GAREs, storage contract, memory
 * storage, authorizers, login client, HTTP clients, errors. The names are listed explicitly in
 * `@globus-app/core`'s own index; this entry passes them through unchanged.
 *
 * @packageDocumentation
 */
export * from "@globus-app/core";
