-- CreateEnum
CREATE TYPE "WebhookAudience" AS ENUM ('PUBLIC', 'TOKEN');

-- CreateEnum
CREATE TYPE "WebhookEndpointState" AS ENUM ('ACTIVE', 'DISABLED');

-- CreateEnum
CREATE TYPE "WebhookDeliveryState" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" SERIAL NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "entityTypes" TEXT[],
    "eventKinds" TEXT[],
    "municipalityId" INTEGER,
    "departmentId" INTEGER,
    "fiscalYear" INTEGER,
    "entityType" VARCHAR(64),
    "entityId" INTEGER,
    "audience" "WebhookAudience" NOT NULL DEFAULT 'PUBLIC',
    "ownerTokenId" INTEGER NOT NULL,
    "ownerMunicipalityId" INTEGER,
    "secret" VARCHAR(64) NOT NULL,
    "previousSecret" VARCHAR(64),
    "previousSecretUntil" TIMESTAMPTZ(3),
    "state" "WebhookEndpointState" NOT NULL DEFAULT 'ACTIVE',
    "failingSince" TIMESTAMPTZ(3),
    "disabledAt" TIMESTAMPTZ(3),
    "disabledReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" BIGSERIAL NOT NULL,
    "endpointId" INTEGER NOT NULL,
    "changeId" BIGINT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "body" TEXT,
    "state" "WebhookDeliveryState" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMPTZ(3),
    "leaseId" VARCHAR(36),
    "lastAttemptAt" TIMESTAMPTZ(3),
    "responseStatus" INTEGER,
    "latencyMs" INTEGER,
    "error" TEXT,
    "deliveredAt" TIMESTAMPTZ(3),
    "redeliveryOf" BIGINT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_state_id_idx" ON "WebhookDelivery"("endpointId", "state", "id");

-- CreateIndex
CREATE INDEX "WebhookDelivery_state_nextAttemptAt_idx" ON "WebhookDelivery"("state", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;
