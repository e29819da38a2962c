// attest-bot on Azure: an Azure Bot (Teams channel) whose messaging endpoint is a Container App
// running the image, a user-assigned managed identity (Kusto, Blob Storage, Key Vault and, by
// default, the bot's own identity), a storage account with the digest container, Key Vault for
// the secrets (the Container App reads them through Key Vault references), Log Analytics and
// Application Insights.
//
// Deploy (see README "Deploying"):
//   az group create -n attest-bot -l westeurope
//   az deployment group create -g attest-bot -f infra/azure/main.bicep -p @infra/azure/main.parameters.example.json
// Afterwards grant the identity read access on the Kusto database (Kusto "Viewer" role):
//   .add database ['<database>'] viewers ('aadapp=<identityClientId>;<tenantId>')

targetScope = 'resourceGroup'

@description('Container image of attest-bot, e.g. myregistry.azurecr.io/attest-bot:1.0.0')
param image string

@description('Base name of every resource (3-16 lowercase letters and digits).')
@minLength(3)
@maxLength(16)
param name string = 'attestbot'

param location string = resourceGroup().location

@description('Kusto cluster URL, e.g. https://mycluster.westeurope.kusto.windows.net')
param kustoClusterUrl string

@description('Kusto database holding MonSQLSystemHealth.')
param kustoDatabase string

@description('The bot identity: UserAssignedMSI (the managed identity below, no secret) or an app registration (SingleTenant, MultiTenant) with microsoftAppId and microsoftAppPassword.')
@allowed(['UserAssignedMSI', 'SingleTenant', 'MultiTenant'])
param microsoftAppType string = 'UserAssignedMSI'

@description('App registration id, for SingleTenant or MultiTenant only (UserAssignedMSI uses the managed identity).')
param microsoftAppId string = ''

@secure()
@description('App registration client secret, for SingleTenant or MultiTenant only. Stored in Key Vault.')
param microsoftAppPassword string = ''

@description('Comma-separated tenant ids (GUIDs) whose users may use the bot in Teams. Required.')
@minLength(36)
param teamsAllowedTenants string

@description('Optional comma-separated AAD object ids: when set, only these users.')
param teamsAllowedUsers string = ''

@secure()
@description('Slack signing secret (empty with an empty token: Slack off). Stored in Key Vault.')
param slackSigningSecret string = ''

@secure()
@description('Slack bot token xoxb-... (empty with an empty signing secret: Slack off). Stored in Key Vault.')
param slackBotToken string = ''

@description('Comma-separated Slack workspace ids (T...), or * for all. Required when Slack is on.')
param slackAllowedTeams string = ''

@description('Comma-separated Slack channel ids (C..., G..., D...), or * for all. Required when Slack is on.')
param slackAllowedChannels string = ''

@description('Blob container holding digest subscriptions and delivery records.')
param digestContainer string = 'attest-bot'

var suffix = uniqueString(resourceGroup().id, name)
var slackOn = !empty(slackSigningSecret) || !empty(slackBotToken)
var msiBot = microsoftAppType == 'UserAssignedMSI'

// Built-in role definition ids.
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${name}-logs'
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-insights'
  location: location
  kind: 'web'
  properties: { Application_Type: 'web', WorkspaceResourceId: logs.id }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('${name}${suffix}', 24)
  location: location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource digests 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: digestContainer
  properties: { publicAccess: 'None' }
}

resource blobAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, storageBlobDataContributor)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${name}-kv-${suffix}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
  }
}

resource vaultAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!msiBot) {
  parent: vault
  name: 'bot-password'
  properties: { value: microsoftAppPassword }
}

resource slackSigningSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (slackOn) {
  parent: vault
  name: 'slack-signing-secret'
  properties: { value: slackSigningSecret }
}

resource slackBotTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (slackOn) {
  parent: vault
  name: 'slack-bot-token'
  properties: { value: slackBotToken }
}

resource env 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${name}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

var botAppId = msiBot ? identity.properties.clientId : microsoftAppId

// Settings every deployment has. Secrets come from Key Vault references (secretRef below).
var baseEnv = [
  { name: 'NODE_ENV', value: 'production' }
  { name: 'PORT', value: '3978' }
  { name: 'ATTEST_KUSTO_CLUSTER_URL', value: kustoClusterUrl }
  { name: 'ATTEST_KUSTO_DATABASE', value: kustoDatabase }
  { name: 'ATTEST_KUSTO_MANAGED_IDENTITY_CLIENT_ID', value: identity.properties.clientId }
  { name: 'MicrosoftAppId', value: botAppId }
  { name: 'MicrosoftAppType', value: microsoftAppType }
  { name: 'MicrosoftAppTenantId', value: subscription().tenantId }
  { name: 'ATTEST_TEAMS_ALLOWED_TENANTS', value: teamsAllowedTenants }
  { name: 'ATTEST_TEAMS_ALLOWED_USERS', value: teamsAllowedUsers }
  { name: 'ATTEST_DIGEST_STORE', value: 'blob' }
  { name: 'ATTEST_BLOB_ACCOUNT_URL', value: storage.properties.primaryEndpoints.blob }
  { name: 'ATTEST_BLOB_CONTAINER', value: digestContainer }
  // DefaultAzureCredential (Blob Storage) picks the user-assigned identity by its client id.
  { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
]
var botPasswordEnv = msiBot ? [] : [{ name: 'MicrosoftAppPassword', secretRef: 'bot-password' }]
var slackEnv = slackOn
  ? [
      { name: 'SLACK_SIGNING_SECRET', secretRef: 'slack-signing-secret' }
      { name: 'SLACK_BOT_TOKEN', secretRef: 'slack-bot-token' }
      { name: 'ATTEST_SLACK_ALLOWED_TEAMS', value: slackAllowedTeams }
      { name: 'ATTEST_SLACK_ALLOWED_CHANNELS', value: slackAllowedChannels }
    ]
  : []

var botPasswordRef = msiBot
  ? []
  : [{ name: 'bot-password', keyVaultUrl: botPasswordSecret.properties.secretUri, identity: identity.id }]
var slackRefs = slackOn
  ? [
      { name: 'slack-signing-secret', keyVaultUrl: slackSigningSecretSecret.properties.secretUri, identity: identity.id }
      { name: 'slack-bot-token', keyVaultUrl: slackBotTokenSecret.properties.secretUri, identity: identity.id }
    ]
  : []

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identity.id}': {} } }
  dependsOn: [vaultAccess, blobAccess, digests]
  properties: {
    managedEnvironmentId: env.id
    configuration: {
      ingress: { external: true, targetPort: 3978 }
      secrets: concat(botPasswordRef, slackRefs)
    }
    template: {
      // Delivery claims (eTags in Blob Storage) make more replicas safe; one is enough.
      scale: { minReplicas: 1, maxReplicas: 1 }
      containers: [
        {
          name: 'attest-bot'
          image: image
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: concat(baseEnv, botPasswordEnv, slackEnv)
          probes: [
            { type: 'Liveness', httpGet: { path: '/healthz', port: 3978 } }
            { type: 'Readiness', httpGet: { path: '/readyz', port: 3978 } }
          ]
        }
      ]
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${name}-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: { name: 'F0' }
  properties: {
    displayName: 'attest'
    endpoint: 'https://${app.properties.configuration.ingress.fqdn}/api/messages'
    msaAppId: botAppId
    msaAppType: microsoftAppType
    msaAppTenantId: microsoftAppType == 'MultiTenant' ? '' : subscription().tenantId
    msaAppMSIResourceId: msiBot ? identity.id : ''
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

output botEndpoint string = 'https://${app.properties.configuration.ingress.fqdn}/api/messages'
output slackEventsUrl string = 'https://${app.properties.configuration.ingress.fqdn}/slack/events'
output botAppId string = botAppId
output identityClientId string = identity.properties.clientId
output digestStore string = '${storage.properties.primaryEndpoints.blob}${digestContainer}'
