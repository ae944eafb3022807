import type { Backend } from "../../sdk/backend.js";
import { NotFoundError } from "../../sdk/errors.js";
import type { IntegrationDestination } from "../../sdk/ports/integrations.js";
import { type DeliveryView, describeDelivery } from "./delivery-views.js";

/** A destination with its latest deliveries, as the dashboard's Integrations page lists it. */
export interface DestinationStatus {
  destination: IntegrationDestination;
  /** Newest first. */
  recent: DeliveryView[];
}

export async function destinationStatuses(backend: Backend, recent = 5): Promise<DestinationStatus[]> {
  const destinations = await backend.integrations.destinations();
  return Promise.all(
    destinations.map(async (destination) => ({
      destination,
      recent: (await backend.integrations.list({ destination: destination.name, limit: recent })).map(describeDelivery),
    })),
  );
}

export async function findDestination(backend: Backend, name: string): Promise<IntegrationDestination> {
  const destination = (await backend.integrations.destinations()).find((d) => d.name === name);
  if (!destination) {
    throw new NotFoundError(`No destination named ${name}`, {
      hint: "'feedback-cli integrations list' (or the Integrations page) shows the destinations.",
    });
  }
  return destination;
}

/** Switches a destination on or off; off, nothing is sent to it (its pending deliveries fail: replay them after). */
export async function setDestinationEnabled(backend: Backend, name: string, enabled: boolean): Promise<void> {
  const destination = await findDestination(backend, name);
  await backend.integrations.saveDestination({ ...destination, enabled });
}
